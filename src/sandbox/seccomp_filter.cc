// The seccomp filter of every sandboxed program: a deny list of what a test never
// needs — debugging other processes, mounting, kernel modules, keyrings, new
// namespaces, network sockets, BPF and perf — each refused with EPERM (a clean Python
// exception) rather than a kill, so the program's own error says what it tried.
// Built once with libseccomp and exported as a BPF program, so the child only has to
// hand a prepared array to the kernel (no allocation between clone and execve).
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <mutex>

#include "sandbox/sandbox_internal.h"

namespace rmg::sandbox_internal {
namespace {

// Refused outright. Names the running libseccomp does not know are skipped.
constexpr const char* kDeniedSyscalls[] = {
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp",
    "mount", "umount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount", "fspick",
    "move_mount", "open_tree", "mount_setattr", "name_to_handle_at", "open_by_handle_at",
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
    "add_key", "request_key", "keyctl",
    "unshare", "setns",
    "bpf", "perf_event_open", "userfaultfd", "personality",
    "reboot", "swapon", "swapoff", "syslog", "acct", "quotactl", "lookup_dcookie", "vhangup",
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "sethostname", "setdomainname",
    "iopl", "ioperm", "uselib", "ustat", "sysfs", "nfsservctl",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "fanotify_init", "mbind", "migrate_pages", "move_pages", "set_mempolicy",
};

// clone() with any of these would make new namespaces (unshare is denied outright).
constexpr int kNewNamespaceFlags[] = {CLONE_NEWUSER, CLONE_NEWNS,  CLONE_NEWPID,   CLONE_NEWNET,
                                      CLONE_NEWIPC,  CLONE_NEWUTS, CLONE_NEWCGROUP};

// An argument comparison; libseccomp's SCMP_A* macros leave a field to the compiler,
// which clang warns about.
scmp_arg_cmp Arg(unsigned int arg, scmp_compare op, scmp_datum_t a, scmp_datum_t b = 0) {
  scmp_arg_cmp cmp;
  cmp.arg = arg;
  cmp.op = op;
  cmp.datum_a = a;
  cmp.datum_b = b;
  return cmp;
}

bool Build(std::vector<sock_filter>* program, std::string* error) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == nullptr) {
    *error = "seccomp_init failed";
    return false;
  }
  const uint32_t deny = SCMP_ACT_ERRNO(EPERM);
  int rc = 0;
  for (const char* name : kDeniedSyscalls) {
    const int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue;
    rc = seccomp_rule_add(ctx, deny, nr, 0);
    // Pseudo-syscalls this architecture lacks come back as -EDOM or similar: skip.
    if (rc < 0 && rc != -EDOM && rc != -EOPNOTSUPP) break;
    rc = 0;
  }
  // Every socket except AF_UNIX (socketpair and local IPC); the network namespace has
  // no route anywhere anyway, this makes the refusal immediate and explicit.
  if (rc == 0) rc = seccomp_rule_add(ctx, deny, SCMP_SYS(socket), 1, Arg(0, SCMP_CMP_NE, AF_UNIX));
  for (int flag : kNewNamespaceFlags) {
    if (rc != 0) break;
    rc = seccomp_rule_add(ctx, deny, SCMP_SYS(clone), 1,
                          Arg(0, SCMP_CMP_MASKED_EQ, static_cast<scmp_datum_t>(flag), static_cast<scmp_datum_t>(flag)));
  }
  // clone3 passes its flags in memory, which seccomp cannot read: ENOSYS makes glibc
  // fall back to clone(), whose flags the rule above checks.
  if (rc == 0) rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
  // TIOCSTI pushes characters into a terminal's input; there is no terminal here, but
  // an inherited one must not become a way out.
  if (rc == 0) {
    rc = seccomp_rule_add(ctx, deny, SCMP_SYS(ioctl), 1, Arg(1, SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI));
  }
  if (rc != 0) {
    *error = std::string("seccomp_rule_add failed: ") + std::strerror(-rc);
    seccomp_release(ctx);
    return false;
  }
  // libseccomp 2.5 can only export to a file descriptor.
  const int fd = memfd_create("rmg-seccomp", MFD_CLOEXEC);
  if (fd < 0) {
    *error = std::string("memfd_create failed: ") + std::strerror(errno);
    seccomp_release(ctx);
    return false;
  }
  rc = seccomp_export_bpf(ctx, fd);
  seccomp_release(ctx);
  if (rc != 0) {
    *error = std::string("seccomp_export_bpf failed: ") + std::strerror(-rc);
    close(fd);
    return false;
  }
  const off_t size = lseek(fd, 0, SEEK_END);
  if (size <= 0 || size % sizeof(sock_filter) != 0) {
    *error = "seccomp_export_bpf wrote an unexpected size";
    close(fd);
    return false;
  }
  program->resize(size / sizeof(sock_filter));
  const ssize_t got = pread(fd, program->data(), size, 0);
  close(fd);
  if (got != size) {
    program->clear();
    *error = "cannot read back the seccomp program";
    return false;
  }
  return true;
}

}  // namespace

const std::vector<sock_filter>& SeccompProgram(std::string* error) {
  static std::once_flag once;
  static std::vector<sock_filter>* program = new std::vector<sock_filter>;
  static std::string* build_error = new std::string;
  std::call_once(once, [] { Build(program, build_error); });
  if (program->empty()) *error = *build_error;
  return *program;
}

}  // namespace rmg::sandbox_internal
