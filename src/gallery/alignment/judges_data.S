// src/gallery/alignment/judges.yaml, embedded so that librmg reads no file at run
// time. The path is relative to src/, which CMake gives .S files as an include
// directory; CMakeLists.txt makes this object depend on the YAML file. The data is
// NUL-terminated and rmg_judges_yaml_size excludes the NUL.
  .section .rodata
  .balign 16
  .global rmg_judges_yaml
  .hidden rmg_judges_yaml
  .type rmg_judges_yaml, @object
rmg_judges_yaml:
  .incbin "gallery/alignment/judges.yaml"
rmg_judges_yaml_end:
  .byte 0
  .size rmg_judges_yaml, . - rmg_judges_yaml

  .balign 8
  .global rmg_judges_yaml_size
  .hidden rmg_judges_yaml_size
  .type rmg_judges_yaml_size, @object
rmg_judges_yaml_size:
  .quad rmg_judges_yaml_end - rmg_judges_yaml
  .size rmg_judges_yaml_size, 8

// No executable stack for anything linked with this object.
  .section .note.GNU-stack,"",@progbits
