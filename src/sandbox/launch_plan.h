// LaunchPlan: everything the sandbox's child processes need, computed before clone().
// The caller may be multithreaded, so between clone() and execve() the children may
// only make system calls: no allocation, no locks, no formatting. Every path, string,
// limit and the seccomp program are therefore laid out here first, and the children
// only read this (copy-on-write) memory.
#pragma once

#include <linux/filter.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "sandbox/sandbox_internal.h"

namespace rmg::sandbox_internal {

// The host directory on which the init mounts the sandbox's root tmpfs while it builds
// it. The mount is private to the init's mount namespace: the host's /tmp is untouched.
inline constexpr const char* kStagingDir = "/tmp";

// uid and gid the program runs as when the sandbox is started by root: "nobody".
inline constexpr uid_t kNobody = 65534;

struct BindMount {
  std::string source;  // host path
  std::string target;  // under kStagingDir
  std::string link;    // when the host path is a symbolic link: its target, recreated as is
  unsigned long locked_flags = 0;  // MS_* flags the remount must keep (a user namespace
                                   // may not clear what the host mount sets)
};

struct FileToWrite {
  std::string path;  // absolute: under kStagingDir/work, or the host directory
  const std::string* content = nullptr;
};

struct LaunchPlan {
  IsolationMode mode = IsolationMode::kRlimitsOnly;
  bool die_with_caller = true;
  bool become_nobody = false;  // started by root without a user namespace

  // The child ends of the pipes; all >= 3.
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1, report_fd = -1, sync_fd = -1;

  // File system (namespace modes).
  std::string tmpfs_options;        // size and inode limit of the root tmpfs
  std::vector<BindMount> binds;     // read-only system directories
  std::vector<BindMount> devices;   // /dev/null and friends, bound read-write
  std::vector<BindMount> dev_links; // /dev/fd -> /proc/self/fd ...
  std::string dev_dir, proc_dir, tmp_dir, work_dir;
  std::vector<std::string> dirs;    // parents of the request's files, in creation order
  std::vector<FileToWrite> files;
  std::string cwd;                  // "/work" after pivot_root, or the host directory

  // The program.
  std::vector<char*> argv;  // null-terminated, pointing into the request
  std::vector<std::string> env_storage;
  std::vector<char*> envp;  // null-terminated, pointing into env_storage
  struct Limit {
    int resource;
    struct rlimit value;
  };
  std::vector<Limit> limits;
  struct sock_fprog seccomp = {0, nullptr};  // len 0: no filter (libseccomp failed)

  // The caller's command line, [begin, end) in its memory, which the init (a copy of the
  // caller) zeroes: the sandbox can read /proc/1/cmdline, and a trainer's argv may carry
  // keys or paths. Both 0 when unknown.
  uintptr_t caller_args_begin = 0, caller_args_end = 0;
};

// The clone() entry of the init; `arg` is the LaunchPlan. Never returns.
int InitMain(void* arg);

}  // namespace rmg::sandbox_internal
