// The cl100k_base vocabulary in tiktoken's file format, embedded so that librmg
// needs no file at run time. The include path (RMG_VOCAB_DIR) reaches the assembler
// through the compiler driver's -I; scripts/fetch-vocab.sh writes the file and CMake
// checks its sha256 before building.
  .section .rodata
  .balign 64
  .global rmg_cl100k_vocab_begin
  .hidden rmg_cl100k_vocab_begin
rmg_cl100k_vocab_begin:
  .incbin "cl100k_base.tiktoken"
  .global rmg_cl100k_vocab_end
  .hidden rmg_cl100k_vocab_end
rmg_cl100k_vocab_end:
  .byte 0

// No executable stack for anything linked with this object.
  .section .note.GNU-stack,"",@progbits
