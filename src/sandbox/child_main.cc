// The sandbox's two child processes: the init, which builds the file system view and
// waits, and the program, which drops everything and execs. Both run between clone()
// and execve() of a possibly multithreaded caller, so they only make system calls —
// raw ones where glibc would take locks or talk to threads that do not exist here
// (fork's atfork handlers and malloc locks, setresuid's broadcast to every thread).
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

#include "sandbox/launch_plan.h"

#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000  // Linux 5.12; older glibc headers lack it
#endif

namespace rmg::sandbox_internal {
namespace {

void WriteReport(int fd, int32_t kind, int32_t stage, int32_t value, int32_t rlimit = -1) {
  const Report report{kind, stage, value, rlimit};
  while (write(fd, &report, sizeof report) < 0 && errno == EINTR) {
  }
}

[[noreturn]] void Fail(int report_fd, int32_t stage, int32_t rlimit = -1) {
  WriteReport(report_fd, kSetupError, stage, errno, rlimit);
  _exit(127);
}

// Closes every fd >= 3 except those in keep[0..n), which must be sorted, so that the
// sandbox holds no descriptor of the caller's (another sandbox's pipe kept open here
// would delay that sandbox's end-of-file until this one ends).
void CloseAllExcept(const int* keep, int n) {
  unsigned int from = 3;
  for (int i = 0; i < n; ++i) {
    const unsigned int fd = static_cast<unsigned int>(keep[i]);
    if (fd > from) syscall(SYS_close_range, from, fd - 1, 0);
    if (fd + 1 > from) from = fd + 1;
  }
  syscall(SYS_close_range, from, ~0u, 0);
}

void SortInts(int* values, int n) {
  for (int i = 1; i < n; ++i) {
    for (int j = i; j > 0 && values[j - 1] > values[j]; --j) {
      const int t = values[j];
      values[j] = values[j - 1];
      values[j - 1] = t;
    }
  }
}

// Fork without glibc's fork(): that one takes the malloc and stdio locks, which another
// thread of the caller may have held at clone() time and which nobody here would release.
pid_t RawFork() { return static_cast<pid_t>(syscall(SYS_clone, SIGCHLD, nullptr, nullptr, nullptr, nullptr)); }

// Default dispositions and an empty mask: nothing of the caller's signal handling
// (a handler the program could trigger in the init by signalling PID 1, an ignored
// SIGCHLD that would auto-reap the program, a blocked signal) carries over.
void ResetSignals() {
  struct sigaction action = {};
  action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) sigaction(sig, &action, nullptr);  // SIGKILL, SIGSTOP: EINVAL
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
}

bool MakeReadOnly(const BindMount& bind) {
  struct mount_attr attr = {};
  attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
  if (syscall(SYS_mount_setattr, AT_FDCWD, bind.target.c_str(), AT_RECURSIVE, &attr, sizeof attr) == 0) return true;
  // Before Linux 5.12: only the top mount becomes read-only.
  return mount(nullptr, bind.target.c_str(), nullptr,
               MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | bind.locked_flags, nullptr) == 0;
}

// Builds the sandbox's root on a fresh tmpfs and pivots into it: the system
// directories bound read-only, a few devices, a /proc of the new PID namespace, and
// writable /tmp and /work; nothing else of the host (no $HOME, no repository) exists.
void SetUpFileSystem(const LaunchPlan& plan) {
  const int report = plan.report_fd;
  // Nothing done below may propagate back to the host's mounts.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) Fail(report, kStageMountPrivate);
  if (mount("tmpfs", kStagingDir, "tmpfs", MS_NOSUID | MS_NODEV, plan.tmpfs_options.c_str()) != 0) {
    Fail(report, kStageRootTmpfs);
  }
  for (const BindMount& bind : plan.binds) {
    if (!bind.link.empty()) {
      if (symlink(bind.link.c_str(), bind.target.c_str()) != 0) Fail(report, kStageBind);
      continue;
    }
    if (mkdir(bind.target.c_str(), 0755) != 0) Fail(report, kStageBind);
    if (mount(bind.source.c_str(), bind.target.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) Fail(report, kStageBind);
    if (!MakeReadOnly(bind)) Fail(report, kStageReadOnly);
  }
  if (mkdir(plan.dev_dir.c_str(), 0755) != 0) Fail(report, kStageDevices);
  for (const BindMount& device : plan.devices) {
    const int fd = open(device.target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) Fail(report, kStageDevices);
    close(fd);
    if (mount(device.source.c_str(), device.target.c_str(), nullptr, MS_BIND, nullptr) != 0) Fail(report, kStageDevices);
  }
  for (const BindMount& link : plan.dev_links) {
    if (symlink(link.link.c_str(), link.target.c_str()) != 0) Fail(report, kStageDevices);
  }
  if (mkdir(plan.proc_dir.c_str(), 0555) != 0) Fail(report, kStageProc);
  if (mount("proc", plan.proc_dir.c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
    Fail(report, kStageProc);
  }
  // /tmp and /work are mount points of their own so that the root can become read-only.
  for (const std::string* dir : {&plan.tmp_dir, &plan.work_dir}) {
    if (mkdir(dir->c_str(), 0777) != 0 || chmod(dir->c_str(), 01777) != 0 ||
        mount(dir->c_str(), dir->c_str(), nullptr, MS_BIND, nullptr) != 0) {
      Fail(report, kStageDirs);
    }
  }
  for (const std::string& dir : plan.dirs) {
    if (mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) Fail(report, kStageDirs);
  }
  for (const FileToWrite& file : plan.files) {
    const int fd = open(file.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) Fail(report, kStageFiles);
    const char* data = file.content->data();
    size_t left = file.content->size();
    while (left > 0) {
      const ssize_t n = write(fd, data, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) Fail(report, kStageFiles);
      data += n;
      left -= static_cast<size_t>(n);
    }
    close(fd);
  }
  // pivot_root(".", ".") stacks the old root on the new one; detaching it leaves only
  // the new root (no directory of the host needed as a mount point).
  if (chdir(kStagingDir) != 0 || syscall(SYS_pivot_root, ".", ".") != 0 || umount2(".", MNT_DETACH) != 0 ||
      chdir("/") != 0) {
    Fail(report, kStagePivot);
  }
  if (mount(nullptr, "/", nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, nullptr) != 0) {
    Fail(report, kStageReadOnly);
  }
}

void DropCapabilities() {
  for (int cap = 0; cap <= 63; ++cap) prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2] = {};
  syscall(SYS_capset, &header, data);
}

// The program: stdio, its own session, limits, no privileges, seccomp, execve.
// Failures go to `exec_fd`, which execve closes.
[[noreturn]] void ProgramMain(const LaunchPlan& plan, int exec_fd) {
  if (dup2(plan.stdin_fd, 0) < 0 || dup2(plan.stdout_fd, 1) < 0 || dup2(plan.stderr_fd, 2) < 0) {
    Fail(exec_fd, kStageStdio);
  }
  CloseAllExcept(&exec_fd, 1);
  if (setsid() < 0) Fail(exec_fd, kStageSession);
  for (const LaunchPlan::Limit& limit : plan.limits) {
    if (setrlimit(limit.resource, &limit.value) != 0) Fail(exec_fd, kStageRlimit, limit.resource);
  }
  if (plan.become_nobody) {
    if (syscall(SYS_setgroups, 0, nullptr) != 0 || syscall(SYS_setresgid, kNobody, kNobody, kNobody) != 0 ||
        syscall(SYS_setresuid, kNobody, kNobody, kNobody) != 0) {
      Fail(exec_fd, kStageDropPrivileges);
    }
  }
  DropCapabilities();
  // If the init dies (killed at the deadline), so does the program, even where there
  // is no PID namespace to take it down. After the uid change, which would clear it.
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) Fail(exec_fd, kStageNoNewPrivs);
  if (plan.seccomp.len > 0 && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &plan.seccomp, 0, 0) != 0) {
    Fail(exec_fd, kStageSeccomp);
  }
  execve(plan.argv[0], plan.argv.data(), plan.envp.data());
  Fail(exec_fd, kStageExec);
}

// Reaps one child like wait4(-1, ...), keeping the largest resident size seen.
pid_t Reap(int* status, int options, long* peak_kb) {
  struct rusage usage = {};
  const pid_t pid = wait4(-1, status, options, &usage);
  if (pid > 0 && usage.ru_maxrss > *peak_kb) *peak_kb = usage.ru_maxrss;
  return pid;
}

// Kills what the program left behind and reaps it all.
void KillTheRest(const LaunchPlan& plan, pid_t program, long* peak_kb) {
  int status;
  if (plan.mode == IsolationMode::kRlimitsOnly) {
    // kill(-1) here would be every process of the user: only the program's group.
    kill(-program, SIGKILL);
    while (Reap(&status, WNOHANG, peak_kb) > 0) {
    }
    return;
  }
  kill(-1, SIGKILL);  // as PID 1: everything in the namespace but itself
  while (Reap(&status, 0, peak_kb) > 0 || errno == EINTR) {
  }
}

}  // namespace

int InitMain(void* arg) {
  const LaunchPlan& plan = *static_cast<const LaunchPlan*>(arg);
  // This copy of the caller's memory is the init's own: blank the command line that the
  // programs inside would otherwise read as /proc/1/cmdline.
  if (plan.caller_args_end > plan.caller_args_begin) {
    memset(reinterpret_cast<void*>(plan.caller_args_begin), 0, plan.caller_args_end - plan.caller_args_begin);
  }
  ResetSignals();
  int keep[] = {plan.stdin_fd, plan.stdout_fd, plan.stderr_fd, plan.report_fd, plan.sync_fd};
  SortInts(keep, 5);
  CloseAllExcept(keep, 5);
  const int report = plan.report_fd;
  // Nor the caller's stdin/stdout/stderr: a long-lived sandbox would keep a pipe the
  // caller's own reader waits to see closed.
  const int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd >= 0) {
    dup2(null_fd, 0);
    dup2(null_fd, 1);
    dup2(null_fd, 2);
    if (null_fd > 2) close(null_fd);
  }

  // The caller writes our uid/gid maps, then one byte.
  char byte = 0;
  ssize_t got;
  while ((got = read(plan.sync_fd, &byte, 1)) < 0 && errno == EINTR) {
  }
  if (got != 1) Fail(report, kStageSync);

  if (plan.mode == IsolationMode::kUserNamespace) {
    // Become the namespace's root (the mapped uid outside): full capabilities inside
    // the namespaces for the setup, none outside them.
    if (syscall(SYS_setresgid, 0, 0, 0) != 0 || syscall(SYS_setresuid, 0, 0, 0) != 0) Fail(report, kStageIds);
    syscall(SYS_setgroups, 0, nullptr);  // refused (and unneeded) when setgroups is denied
  }
  // Set after the uid change above, which clears it; the caller waits for the byte
  // that says so before it returns, so it cannot be gone before this.
  if (plan.die_with_caller) {
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    send(plan.sync_fd, &byte, 1, MSG_NOSIGNAL);
  }
  close(plan.sync_fd);
  if (plan.mode != IsolationMode::kRlimitsOnly) {
    SetUpFileSystem(plan);
    sethostname("sandbox", 7);
  }
  if (chdir(plan.cwd.c_str()) != 0) Fail(report, kStageChdir);
  // Nobody inside may read this process's memory through /proc.
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (plan.mode == IsolationMode::kRlimitsOnly) prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);

  int exec_pipe[2];
  if (pipe2(exec_pipe, O_CLOEXEC) != 0) Fail(report, kStageFork);
  const pid_t program = RawFork();
  if (program < 0) Fail(report, kStageFork);
  if (program == 0) {
    close(exec_pipe[0]);
    ProgramMain(plan, exec_pipe[1]);
  }
  close(exec_pipe[1]);
  close(plan.stdin_fd);
  close(plan.stdout_fd);
  close(plan.stderr_fd);

  // A report on the exec pipe is the program's setup failing; end of file is execve.
  Report failure;
  while ((got = read(exec_pipe[0], &failure, sizeof failure)) < 0 && errno == EINTR) {
  }
  close(exec_pipe[0]);
  if (got == static_cast<ssize_t>(sizeof failure)) {
    while (write(report, &failure, sizeof failure) < 0 && errno == EINTR) {
    }
    long ignored = 0;
    KillTheRest(plan, program, &ignored);
    _exit(127);
  }
  WriteReport(report, kStarted, 0, program);

  long peak_kb = 0;
  for (;;) {
    int status = 0;
    const pid_t pid = Reap(&status, 0, &peak_kb);
    if (pid == program) {
      WriteReport(report, kExited, 0, status);
      KillTheRest(plan, program, &peak_kb);
      WriteReport(report, kPeakMemory, 0, static_cast<int32_t>(std::min<long>(peak_kb, INT32_MAX)));
      _exit(0);
    }
    if (pid < 0 && errno != EINTR) _exit(0);
  }
}

}  // namespace rmg::sandbox_internal
