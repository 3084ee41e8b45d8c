// jieba's dictionary and HMM tables, from Debian's python3-jieba, embedded so that
// librmg reads no file at run time. The paths are relative to RMG_JIEBA_DIR, which
// CMake gives .S files as an include directory after checking each file's sha256.
// Each blob is followed by a NUL that its size excludes.
  .section .rodata

  .macro rmg_jieba_blob name, path
  .balign 16
  .global \name
  .hidden \name
  .type \name, @object
\name:
  .incbin "\path"
\name\()_end:
  .byte 0
  .size \name, . - \name
  .balign 8
  .global \name\()_size
  .hidden \name\()_size
  .type \name\()_size, @object
\name\()_size:
  .quad \name\()_end - \name
  .size \name\()_size, 8
  .endm

  rmg_jieba_blob rmg_jieba_dict, "dict.txt"
  rmg_jieba_blob rmg_jieba_prob_start, "finalseg/prob_start.py"
  rmg_jieba_blob rmg_jieba_prob_trans, "finalseg/prob_trans.py"
  rmg_jieba_blob rmg_jieba_prob_emit, "finalseg/prob_emit.py"

// No executable stack for anything linked with this object.
  .section .note.GNU-stack,"",@progbits
