// The caller's side of starting a sandbox: probing what the machine allows, laying out
// the LaunchPlan, clone() into the namespaces, the uid/gid maps, and the end of it all
// (kill, reap, close, delete).
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <tuple>
#include <utility>

#include "sandbox/launch_plan.h"

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000  // Linux 5.2; older glibc headers lack it
#endif

namespace rmg::sandbox_internal {
namespace {

constexpr int kSandboxNamespaces = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS;

// The only host directories the program sees, read-only.
constexpr const char* kSystemDirs[] = {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"};
constexpr const char* kDevices[] = {"null", "zero", "full", "random", "urandom"};

constexpr size_t kStackSize = 256 * 1024;

int CloneFlags(IsolationMode mode) {
  switch (mode) {
    case IsolationMode::kUserNamespace:
      return CLONE_NEWUSER | kSandboxNamespaces;
    case IsolationMode::kRootNamespaces:
      return kSandboxNamespaces;
    case IsolationMode::kRlimitsOnly:
      return 0;
  }
  return 0;
}

int ProbeChild(void*) { _exit(0); }

// True if clone() with `flags` works here (the child exits at once).
bool CloneWorks(int flags) {
  std::vector<char> stack(64 * 1024);
  const pid_t pid = clone(ProbeChild, stack.data() + stack.size(), flags | SIGCHLD, nullptr);
  if (pid < 0) return false;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// The description and downgrade note of `mode`.
MachineSupport SupportOf(IsolationMode mode, const std::string& seccomp_error) {
  MachineSupport support;
  support.mode = mode;
  support.seccomp = seccomp_error.empty();
  switch (mode) {
    case IsolationMode::kUserNamespace:
      support.description = "user, PID, network, mount, IPC and UTS namespaces";
      break;
    case IsolationMode::kRootNamespaces:
      support.description = "PID, network, mount, IPC and UTS namespaces, program run as nobody";
      support.downgrade = "user namespaces refused: namespaces without one, the program runs as uid 65534";
      break;
    case IsolationMode::kRlimitsOnly:
      support.description = "no namespaces: rlimits and its own session in a private host directory";
      support.downgrade =
          "namespaces refused: NO network, file system or PID isolation; only rlimits, seccomp and a "
          "process group (enable user namespaces: sysctl kernel.unprivileged_userns_clone=1)";
      break;
  }
  if (mode != IsolationMode::kRlimitsOnly) {
    support.description += "; read-only system directories, private tmpfs /work and /tmp, no $HOME";
  }
  support.description += "; rlimits (CPU, address space, processes, file size, open files); memory: RLIMIT_AS only "
                         "(no cgroup)";
  if (support.seccomp) {
    support.description += "; seccomp deny list";
  } else {
    support.description += "; NO seccomp filter (" + seccomp_error + ")";
    if (!support.downgrade.empty()) support.downgrade += "; ";
    support.downgrade += "seccomp unavailable: " + seccomp_error;
  }
  return support;
}

MachineSupport ProbeMachine() {
  std::string seccomp_error;
  if (SeccompProgram(&seccomp_error).empty() && seccomp_error.empty()) seccomp_error = "no filter";
  IsolationMode mode = IsolationMode::kRlimitsOnly;
  if (CloneWorks(CloneFlags(IsolationMode::kUserNamespace))) {
    mode = IsolationMode::kUserNamespace;
  } else if (geteuid() == 0 && CloneWorks(CloneFlags(IsolationMode::kRootNamespaces))) {
    mode = IsolationMode::kRootNamespaces;
  }
  return SupportOf(mode, seccomp_error);
}

// Moves `fd` to >= 3 so that dup2 onto 0..2 in the child cannot clobber another pipe.
bool AboveStdio(int* fd) {
  if (*fd >= 3) return true;
  const int moved = fcntl(*fd, F_DUPFD_CLOEXEC, 3);
  close(*fd);
  *fd = moved;
  return moved >= 0;
}

bool WriteProcFile(pid_t pid, const char* name, const std::string& text, std::string* error) {
  const std::string path = "/proc/" + std::to_string(pid) + "/" + name;
  const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    *error = "cannot write " + path + ": " + std::strerror(errno);
    if (fd >= 0) close(fd);
    return false;
  }
  close(fd);
  return true;
}

// Inside: uid and gid 0. Outside: "nobody" when we are root (so that a way out would
// find an unprivileged user), else the caller itself (the only id it may map).
bool WriteIdMaps(pid_t pid, std::string* error) {
  if (geteuid() == 0) {
    return WriteProcFile(pid, "uid_map", "0 65534 1\n", error) && WriteProcFile(pid, "gid_map", "0 65534 1\n", error);
  }
  return WriteProcFile(pid, "setgroups", "deny", error) &&
         WriteProcFile(pid, "uid_map", "0 " + std::to_string(geteuid()) + " 1\n", error) &&
         WriteProcFile(pid, "gid_map", "0 " + std::to_string(getegid()) + " 1\n", error);
}

unsigned long LockedFlags(const char* path) {
  struct statvfs info;
  if (statvfs(path, &info) != 0) return 0;
  unsigned long flags = 0;
  if (info.f_flag & ST_NOSUID) flags |= MS_NOSUID;
  if (info.f_flag & ST_NODEV) flags |= MS_NODEV;
  if (info.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  if (info.f_flag & ST_NOATIME) flags |= MS_NOATIME;
  if (info.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
  if (info.f_flag & ST_RELATIME) flags |= MS_RELATIME;
  return flags;
}

// "a/b/c.py" is fine; absolute paths, "..", "." and empty components are not.
bool SafeRelativePath(const std::string& path) {
  if (path.empty() || path[0] == '/') return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

void AddLimit(LaunchPlan* plan, int resource, rlim_t soft, rlim_t hard) {
  plan->limits.push_back({resource, {soft, hard}});
}

// Where this process's command line lies in its memory: fields 48 and 49 (arg_start,
// arg_end) of /proc/self/stat, counted after the parenthesised name, which may hold
// spaces. {0, 0} when it cannot be read.
std::pair<uintptr_t, uintptr_t> CommandLineRange() {
  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  const size_t name_end = stat.rfind(')');
  if (name_end == std::string::npos) return {0, 0};
  std::istringstream fields(stat.substr(name_end + 1));
  std::string field;
  uintptr_t begin = 0, end = 0;
  for (int number = 3; fields >> field && number <= 49; ++number) {
    if (number == 48) begin = std::strtoull(field.c_str(), nullptr, 10);
    if (number == 49) end = std::strtoull(field.c_str(), nullptr, 10);
  }
  if (begin == 0 || end <= begin) return {0, 0};
  return {begin, end};
}

bool BuildPlan(const RunRequest& request, IsolationMode mode, const std::string& host_dir, LaunchPlan* plan,
               std::string* error) {
  const SandboxLimits& limits = request.limits;
  plan->mode = mode;
  plan->become_nobody = mode != IsolationMode::kUserNamespace && geteuid() == 0;
  const std::string root = kStagingDir;
  const std::string work = mode == IsolationMode::kRlimitsOnly ? host_dir : root + "/work";
  uint64_t file_bytes = 0;
  for (const auto& [path, content] : request.files) {
    if (!SafeRelativePath(path)) {
      *error = "file path must be relative and stay inside the working directory: \"" + path + "\"";
      return false;
    }
    for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
      plan->dirs.push_back(work + "/" + path.substr(0, slash));
    }
    plan->files.push_back({work + "/" + path, &content});
    file_bytes += content.size();
  }
  if (mode != IsolationMode::kRlimitsOnly) {
    // Room for the request's files and a few files of the largest allowed size.
    const uint64_t tmpfs_bytes = std::max<uint64_t>(16ull << 20, file_bytes + 4 * limits.max_file_bytes);
    plan->tmpfs_options = "size=" + std::to_string(tmpfs_bytes) + ",nr_inodes=8192,mode=0755";
    for (const char* dir : kSystemDirs) {
      struct stat info;
      if (lstat(dir, &info) != 0) continue;
      BindMount bind{dir, root + dir, "", LockedFlags(dir)};
      if (S_ISLNK(info.st_mode)) {
        char target[PATH_MAX];
        const ssize_t n = readlink(dir, target, sizeof target - 1);
        if (n <= 0) continue;
        bind.link.assign(target, static_cast<size_t>(n));
      } else if (!S_ISDIR(info.st_mode)) {
        continue;
      }
      plan->binds.push_back(std::move(bind));
    }
    plan->dev_dir = root + "/dev";
    for (const char* device : kDevices) {
      const std::string source = std::string("/dev/") + device;
      if (access(source.c_str(), F_OK) == 0) plan->devices.push_back({source, plan->dev_dir + "/" + device, "", 0});
    }
    plan->dev_links = {{"", plan->dev_dir + "/fd", "/proc/self/fd", 0},
                       {"", plan->dev_dir + "/stdin", "/proc/self/fd/0", 0},
                       {"", plan->dev_dir + "/stdout", "/proc/self/fd/1", 0},
                       {"", plan->dev_dir + "/stderr", "/proc/self/fd/2", 0}};
    plan->proc_dir = root + "/proc";
    plan->tmp_dir = root + "/tmp";
    plan->work_dir = work;
    plan->cwd = "/work";
  } else {
    plan->cwd = host_dir;
  }

  for (const std::string& arg : request.argv) plan->argv.push_back(const_cast<char*>(arg.c_str()));
  plan->argv.push_back(nullptr);
  const std::string home = mode == IsolationMode::kRlimitsOnly ? host_dir : "/work";
  const std::string tmp = mode == IsolationMode::kRlimitsOnly ? host_dir : "/tmp";
  plan->env_storage = {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + home, "TMPDIR=" + tmp, "LANG=C.UTF-8",
                       "PYTHONDONTWRITEBYTECODE=1", "PYTHONNOUSERSITE=1"};
  for (const std::string& entry : plan->env_storage) plan->envp.push_back(const_cast<char*>(entry.c_str()));
  plan->envp.push_back(nullptr);

  // CPU: the soft limit sends SIGXCPU, the hard one a second later SIGKILL.
  // Converting a double past rlim_t's range (or NaN) is undefined: 10^12 s is no limit.
  const rlim_t cpu =
      static_cast<rlim_t>(limits.cpu_seconds < 1e12 ? std::max(1.0, std::ceil(limits.cpu_seconds)) : 1e12);
  AddLimit(plan, RLIMIT_CPU, cpu, cpu + 1);
  if (limits.memory_bytes > 0) AddLimit(plan, RLIMIT_AS, limits.memory_bytes, limits.memory_bytes);
  AddLimit(plan, RLIMIT_NPROC, limits.max_processes, limits.max_processes);
  AddLimit(plan, RLIMIT_FSIZE, limits.max_file_bytes, limits.max_file_bytes);
  AddLimit(plan, RLIMIT_NOFILE, limits.max_open_files, limits.max_open_files);
  AddLimit(plan, RLIMIT_CORE, 0, 0);
  AddLimit(plan, RLIMIT_MSGQUEUE, 0, 0);
  AddLimit(plan, RLIMIT_MEMLOCK, 0, 0);

  std::string seccomp_error;
  const std::vector<sock_filter>& filter = SeccompProgram(&seccomp_error);
  plan->seccomp.len = static_cast<unsigned short>(filter.size());
  plan->seccomp.filter = const_cast<sock_filter*>(filter.data());
  if (mode != IsolationMode::kRlimitsOnly) {
    static const std::pair<uintptr_t, uintptr_t> command_line = CommandLineRange();
    std::tie(plan->caller_args_begin, plan->caller_args_end) = command_line;
  }
  return true;
}

// kRlimitsOnly: a private host directory holding the request's files.
bool MakeHostDir(const RunRequest& request, std::string* dir, std::string* error) {
  char path[] = "/tmp/rmg-sandbox-XXXXXX";
  if (mkdtemp(path) == nullptr) {
    *error = std::string("mkdtemp failed: ") + std::strerror(errno);
    return false;
  }
  *dir = path;
  // Root runs the program as nobody, who must be able to work in there.
  if (geteuid() == 0) chmod(path, 01777);
  for (const auto& [name, content] : request.files) {
    if (!SafeRelativePath(name)) continue;  // BuildPlan reports it
    const std::filesystem::path file = std::filesystem::path(path) / name;
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    std::ofstream stream(file, std::ios::binary);
    stream << content;
    stream.flush();
    if (!stream) {
      *error = "cannot write the file '" + name + "' for the program (a directory of that name, or no space)";
      std::filesystem::remove_all(path, ec);
      dir->clear();
      return false;
    }
  }
  return true;
}

void CloseFd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

std::once_flag support_once;
MachineSupport* support = nullptr;

void ProbeOnce() {
  std::call_once(support_once, [] {
    support = new MachineSupport(ProbeMachine());
    if (!support->downgrade.empty()) std::fprintf(stderr, "rmg: sandbox: %s\n", support->downgrade.c_str());
  });
}

}  // namespace

const MachineSupport& Support() {
  ProbeOnce();
  return *support;
}

void ForceModeForTesting(IsolationMode mode) {
  ProbeOnce();
  std::string seccomp_error;
  SeccompProgram(&seccomp_error);
  *support = SupportOf(mode, seccomp_error);
}

bool Launch(const RunRequest& request, bool die_with_caller, Launched* out, std::string* error) {
  if (request.argv.empty() || request.argv[0].empty() || request.argv[0][0] != '/') {
    *error = "argv[0] must be an absolute path";
    return false;
  }
  const MachineSupport& support = Support();
  Launched launched;
  launched.mode = support.mode;
  if (support.mode == IsolationMode::kRlimitsOnly && !MakeHostDir(request, &launched.host_dir, error)) return false;

  LaunchPlan plan;
  plan.die_with_caller = die_with_caller;
  if (!BuildPlan(request, support.mode, launched.host_dir, &plan, error)) {
    Release(&launched);
    return false;
  }
  // Parent ends first, child ends second; the child ends are closed here after clone.
  int in[2] = {-1, -1}, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1}, report[2] = {-1, -1}, sync[2] = {-1, -1};
  bool ok = socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) == 0;
  // sync is two-way: the go byte down, and (die_with_caller) the init's "armed" byte back.
  ok = ok && pipe2(out_pipe, O_CLOEXEC) == 0 && pipe2(err_pipe, O_CLOEXEC) == 0 && pipe2(report, O_CLOEXEC) == 0 &&
       socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sync) == 0;
  ok = ok && AboveStdio(&in[1]) && AboveStdio(&out_pipe[1]) && AboveStdio(&err_pipe[1]) && AboveStdio(&report[1]) &&
       AboveStdio(&sync[0]);
  launched.stdin_fd = in[0];
  launched.stdout_fd = out_pipe[0];
  launched.stderr_fd = err_pipe[0];
  launched.report_fd = report[0];
  auto close_child_ends = [&] {
    CloseFd(&in[1]);
    CloseFd(&out_pipe[1]);
    CloseFd(&err_pipe[1]);
    CloseFd(&report[1]);
    CloseFd(&sync[0]);
  };
  if (!ok) {
    *error = std::string("cannot create pipes: ") + std::strerror(errno);
    close_child_ends();
    CloseFd(&sync[1]);
    Release(&launched);
    return false;
  }
  plan.stdin_fd = in[1];
  plan.stdout_fd = out_pipe[1];
  plan.stderr_fd = err_pipe[1];
  plan.report_fd = report[1];
  plan.sync_fd = sync[0];

  std::vector<char> stack(kStackSize);
  char* stack_top = stack.data() + stack.size();
  stack_top -= reinterpret_cast<uintptr_t>(stack_top) % 16;
  int pidfd = -1;
  const pid_t pid = clone(InitMain, stack_top, CloneFlags(support.mode) | CLONE_PIDFD | SIGCHLD, &plan, &pidfd);
  const int clone_errno = errno;
  close_child_ends();
  if (pid < 0) {
    *error = std::string("clone failed: ") + std::strerror(clone_errno);
    CloseFd(&sync[1]);
    Release(&launched);
    return false;
  }
  launched.pid = pid;
  launched.pidfd = pidfd;
  if (support.mode == IsolationMode::kUserNamespace && !WriteIdMaps(pid, error)) {
    CloseFd(&sync[1]);  // the init sees end of file and gives up
    KillSandbox(launched, -1);
    WaitForInit(launched, nullptr, nullptr);
    Release(&launched);
    return false;
  }
  const char go = 1;
  const bool synced = send(sync[1], &go, 1, MSG_NOSIGNAL) == 1;
  if (synced && die_with_caller) {
    // Until the init has its parent-death signal, the caller's end would leave it
    // running: wait for its byte (or end of file, when its setup failed).
    char armed = 0;
    while (read(sync[1], &armed, 1) < 0 && errno == EINTR) {
    }
  }
  CloseFd(&sync[1]);
  if (!synced) {
    *error = std::string("cannot start the sandbox init: ") + std::strerror(errno);
    KillSandbox(launched, -1);
    WaitForInit(launched, nullptr, nullptr);
    Release(&launched);
    return false;
  }
  *out = std::move(launched);
  return true;
}

void KillSandbox(const Launched& launched, pid_t program_pid) {
  if (launched.pidfd >= 0) {
    syscall(SYS_pidfd_send_signal, launched.pidfd, SIGKILL, nullptr, 0);
  } else if (launched.pid > 0) {
    kill(launched.pid, SIGKILL);
  }
  // Without a PID namespace, killing the init leaves the program's group behind.
  if (launched.mode == IsolationMode::kRlimitsOnly && program_pid > 0) kill(-program_pid, SIGKILL);
}

bool KillInitsChildren(const Launched& launched) {
  if (launched.mode == IsolationMode::kRlimitsOnly || launched.pid <= 0) return false;
  const std::string init = std::to_string(launched.pid);
  std::ifstream children("/proc/" + init + "/task/" + init + "/children");
  if (!children) return false;
  bool any = false;
  for (long pid; children >> pid;) {
    // Pinned by a pidfd, then checked to be still the init's child: a pid reused since
    // the list was read is never signalled.
    const int fd = static_cast<int>(syscall(SYS_pidfd_open, static_cast<pid_t>(pid), 0));
    if (fd < 0) continue;
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    bool child_of_init = false;
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("PPid:", 0) == 0) {
        child_of_init = std::strtol(line.c_str() + 5, nullptr, 10) == launched.pid;
        break;
      }
    }
    if (child_of_init && syscall(SYS_pidfd_send_signal, fd, SIGKILL, nullptr, 0) == 0) any = true;
    close(fd);
  }
  return any;
}

void WaitForInit(const Launched& launched, int* status, struct rusage* usage) {
  int local_status = 0;
  struct rusage local_usage;
  std::memset(&local_usage, 0, sizeof local_usage);
  if (launched.pid > 0) {
    while (wait4(launched.pid, &local_status, 0, &local_usage) < 0 && errno == EINTR) {
    }
  }
  if (status != nullptr) *status = local_status;
  if (usage != nullptr) *usage = local_usage;
}

void Release(Launched* launched) {
  CloseFd(&launched->stdin_fd);
  CloseFd(&launched->stdout_fd);
  CloseFd(&launched->stderr_fd);
  CloseFd(&launched->report_fd);
  CloseFd(&launched->pidfd);
  launched->pid = -1;
  if (!launched->host_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(launched->host_dir, ec);
    launched->host_dir.clear();
  }
}

const char* SetupStageName(int32_t stage) {
  switch (stage) {
    case kStageSync: return "waiting for the uid map";
    case kStageIds: return "becoming root of the user namespace";
    case kStageMountPrivate: return "making the mounts private";
    case kStageRootTmpfs: return "mounting the root tmpfs";
    case kStageBind: return "binding the system directories";
    case kStageReadOnly: return "making the view read-only";
    case kStageDevices: return "setting up /dev";
    case kStageProc: return "mounting /proc";
    case kStageDirs: return "creating /tmp and /work";
    case kStageFiles: return "writing the program's files";
    case kStagePivot: return "pivot_root";
    case kStageChdir: return "entering the working directory";
    case kStageFork: return "forking the program";
    case kStageStdio: return "connecting stdin/stdout/stderr";
    case kStageRlimit: return "setting rlimits";
    case kStageSession: return "setsid";
    case kStageDropPrivileges: return "dropping privileges";
    case kStageNoNewPrivs: return "PR_SET_NO_NEW_PRIVS";
    case kStageSeccomp: return "installing the seccomp filter";
    case kStageExec: return "execve";
  }
  return "setup";
}

namespace {

// The limit, with the SandboxLimits field (rmg/sandbox.h) that sets it.
const char* RlimitName(int32_t resource) {
  switch (resource) {
    case RLIMIT_CPU:
      return "RLIMIT_CPU, from cpu_seconds";
    case RLIMIT_AS:
      return "RLIMIT_AS, from memory_bytes";
    case RLIMIT_NPROC:
      return "RLIMIT_NPROC, from max_processes";
    case RLIMIT_FSIZE:
      return "RLIMIT_FSIZE, from max_file_bytes";
    case RLIMIT_NOFILE:
      return "RLIMIT_NOFILE, from max_open_files";
    case RLIMIT_CORE:
      return "RLIMIT_CORE";
    case RLIMIT_MSGQUEUE:
      return "RLIMIT_MSGQUEUE";
    case RLIMIT_MEMLOCK:
      return "RLIMIT_MEMLOCK";
  }
  return nullptr;
}

}  // namespace

std::string SetupFailureMessage(const Report& failure, const std::string& program_path) {
  if (failure.stage == kStageExec) {
    return "cannot execute " + program_path + " in the sandbox: " + std::strerror(failure.value);
  }
  std::string message = std::string("sandbox setup failed while ") + SetupStageName(failure.stage);
  if (failure.stage == kStageRlimit) {
    const char* name = RlimitName(failure.rlimit);
    message += name != nullptr ? std::string(" (") + name + ")" : " (resource " + std::to_string(failure.rlimit) + ")";
  }
  return message + ": " + std::strerror(failure.value);
}

}  // namespace rmg::sandbox_internal
