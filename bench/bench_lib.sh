# Shared by the bench/*.sh scripts: `source "$script_dir/bench_lib.sh"`.

# require_executable SCRIPT PATH: exits 2 with a message unless PATH is executable.
require_executable() {
  if [[ ! -x $2 ]]; then
    echo "$1: $2 is not an executable (build it, or pass the binary as the first argument)" >&2
    exit 2
  fi
}

# require_readable SCRIPT PATH: exits 2 with a message unless PATH can be read.
require_readable() {
  if [[ ! -r $2 ]]; then
    echo "$1: cannot read $2" >&2
    exit 2
  fi
}
