// The seccomp program on its own: each test forks a child that installs the filter
// and reports what its system calls returned. The filter is never installed in the
// test process itself (it cannot be removed again).
#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "sandbox/sandbox_internal.h"

namespace rmg::sandbox_internal {
namespace {

// What one system call returned in the child.
struct SeccompOutcome {
  int64_t rc;
  int32_t err;  // errno when rc == -1, else 0
};

// Runs `body` in a forked child, under the filter when `install` is set, and returns
// the child's wait status. `body` writes SeccompOutcomes to the fd it gets and returns
// the child's exit code. Exit code 100: the filter could not be installed.
template <typename Body>
int SeccompRunInChild(bool install, Body body, std::vector<SeccompOutcome>* outcomes) {
  std::string error;
  const std::vector<sock_filter>& program = SeccompProgram(&error);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    // No controlling terminal: vhangup() below must have nothing to hang up even if
    // the filter let it through.
    setsid();
    if (install) {
      struct sock_fprog prog = {static_cast<unsigned short>(program.size()), const_cast<sock_filter*>(program.data())};
      if (program.empty() || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
          prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) {
        _exit(100);
      }
    }
    // _exit: no atexit handlers (LeakSanitizer would ptrace, which the filter refuses).
    _exit(body(fds[1]));
  }
  close(fds[1]);
  if (outcomes != nullptr) {
    SeccompOutcome outcome;
    while (read(fds[0], &outcome, sizeof outcome) == static_cast<ssize_t>(sizeof outcome)) outcomes->push_back(outcome);
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

void SeccompRecord(int fd, long rc) {
  const SeccompOutcome outcome{rc, rc == -1 ? errno : 0};
  if (write(fd, &outcome, sizeof outcome) != static_cast<ssize_t>(sizeof outcome)) _exit(101);
}

// Every syscall of the deny list, with arguments that make it fail harmlessly (EFAULT,
// EINVAL, EBADF...) should the filter not catch it: the test runs as root.
struct SeccompDenied {
  const char* name;
  long nr;
  long args[6];
};

constexpr long kSeccompBadPointer = 1;  // never mapped
const SeccompDenied kSeccompDeniedCalls[] = {
    {"ptrace", SYS_ptrace, {-1, -1, 0, 0, 0, 0}},
    {"process_vm_readv", SYS_process_vm_readv, {-1, kSeccompBadPointer, 1, kSeccompBadPointer, 1, 0}},
    {"process_vm_writev", SYS_process_vm_writev, {-1, kSeccompBadPointer, 1, kSeccompBadPointer, 1, 0}},
    {"kcmp", SYS_kcmp, {-1, -1, -1, 0, 0, 0}},
    {"mount", SYS_mount, {kSeccompBadPointer, kSeccompBadPointer, kSeccompBadPointer, 0, 0, 0}},
    {"umount2", SYS_umount2, {kSeccompBadPointer, 0, 0, 0, 0, 0}},
    {"pivot_root", SYS_pivot_root, {kSeccompBadPointer, kSeccompBadPointer, 0, 0, 0, 0}},
    {"chroot", SYS_chroot, {kSeccompBadPointer, 0, 0, 0, 0, 0}},
    {"fsopen", SYS_fsopen, {kSeccompBadPointer, 0, 0, 0, 0, 0}},
    {"fsconfig", SYS_fsconfig, {-1, -1, 0, 0, 0, 0}},
    {"fsmount", SYS_fsmount, {-1, 0, 0, 0, 0, 0}},
    {"fspick", SYS_fspick, {-1, kSeccompBadPointer, 0, 0, 0, 0}},
    {"move_mount", SYS_move_mount, {-1, kSeccompBadPointer, -1, kSeccompBadPointer, 0, 0}},
    {"open_tree", SYS_open_tree, {-1, kSeccompBadPointer, 0, 0, 0, 0}},
    {"mount_setattr", SYS_mount_setattr, {-1, kSeccompBadPointer, 0, kSeccompBadPointer, 0, 0}},
    {"name_to_handle_at", SYS_name_to_handle_at, {-1, kSeccompBadPointer, kSeccompBadPointer, 0, 0, 0}},
    {"open_by_handle_at", SYS_open_by_handle_at, {-1, kSeccompBadPointer, 0, 0, 0, 0}},
    {"init_module", SYS_init_module, {kSeccompBadPointer, 0, kSeccompBadPointer, 0, 0, 0}},
    {"finit_module", SYS_finit_module, {-1, kSeccompBadPointer, 0, 0, 0, 0}},
    {"delete_module", SYS_delete_module, {kSeccompBadPointer, 0, 0, 0, 0, 0}},
    {"kexec_load", SYS_kexec_load, {0, 0, kSeccompBadPointer, -1, 0, 0}},
    {"kexec_file_load", SYS_kexec_file_load, {-1, -1, 0, kSeccompBadPointer, -1, 0}},
    {"add_key", SYS_add_key, {kSeccompBadPointer, kSeccompBadPointer, 0, 0, 0, 0}},
    {"request_key", SYS_request_key, {kSeccompBadPointer, kSeccompBadPointer, 0, 0, 0, 0}},
    {"keyctl", SYS_keyctl, {-1, 0, 0, 0, 0, 0}},
    // unshare(0) and personality(0xffffffff) succeed without the filter.
    {"unshare", SYS_unshare, {0, 0, 0, 0, 0, 0}},
    {"setns", SYS_setns, {-1, 0, 0, 0, 0, 0}},
    {"bpf", SYS_bpf, {-1, kSeccompBadPointer, 0, 0, 0, 0}},
    {"perf_event_open", SYS_perf_event_open, {kSeccompBadPointer, 0, -1, -1, 0, 0}},
    {"userfaultfd", SYS_userfaultfd, {-1, 0, 0, 0, 0, 0}},
    {"personality", SYS_personality, {0xffffffffL, 0, 0, 0, 0, 0}},
    {"reboot", SYS_reboot, {0, 0, 0, 0, 0, 0}},
    {"swapon", SYS_swapon, {kSeccompBadPointer, 0, 0, 0, 0, 0}},
    {"swapoff", SYS_swapoff, {kSeccompBadPointer, 0, 0, 0, 0, 0}},
    {"syslog", SYS_syslog, {-1, 0, 0, 0, 0, 0}},
    {"acct", SYS_acct, {kSeccompBadPointer, 0, 0, 0, 0, 0}},
    {"quotactl", SYS_quotactl, {-1, kSeccompBadPointer, 0, 0, 0, 0}},
    {"lookup_dcookie", SYS_lookup_dcookie, {0, kSeccompBadPointer, 0, 0, 0, 0}},
    {"vhangup", SYS_vhangup, {0, 0, 0, 0, 0, 0}},
    {"settimeofday", SYS_settimeofday, {kSeccompBadPointer, kSeccompBadPointer, 0, 0, 0, 0}},
    {"clock_settime", SYS_clock_settime, {-1, kSeccompBadPointer, 0, 0, 0, 0}},
    {"clock_adjtime", SYS_clock_adjtime, {-1, kSeccompBadPointer, 0, 0, 0, 0}},
    {"adjtimex", SYS_adjtimex, {kSeccompBadPointer, 0, 0, 0, 0, 0}},
    {"sethostname", SYS_sethostname, {kSeccompBadPointer, -1, 0, 0, 0, 0}},
    {"setdomainname", SYS_setdomainname, {kSeccompBadPointer, -1, 0, 0, 0, 0}},
    {"iopl", SYS_iopl, {99, 0, 0, 0, 0, 0}},
    {"ioperm", SYS_ioperm, {-1, -1, 0, 0, 0, 0}},
    {"uselib", SYS_uselib, {kSeccompBadPointer, 0, 0, 0, 0, 0}},
    {"ustat", SYS_ustat, {0, kSeccompBadPointer, 0, 0, 0, 0}},
    {"sysfs", SYS_sysfs, {-1, 0, 0, 0, 0, 0}},
    {"nfsservctl", SYS_nfsservctl, {0, 0, 0, 0, 0, 0}},
    {"io_uring_setup", SYS_io_uring_setup, {0, kSeccompBadPointer, 0, 0, 0, 0}},
    {"io_uring_enter", SYS_io_uring_enter, {-1, 0, 0, 0, 0, 0}},
    {"io_uring_register", SYS_io_uring_register, {-1, 0, 0, 0, 0, 0}},
    {"fanotify_init", SYS_fanotify_init, {-1, -1, 0, 0, 0, 0}},
    {"mbind", SYS_mbind, {kSeccompBadPointer, 0, -1, 0, 0, 0}},
    {"migrate_pages", SYS_migrate_pages, {-1, 0, kSeccompBadPointer, kSeccompBadPointer, 0, 0}},
    {"move_pages", SYS_move_pages, {-1, 1, kSeccompBadPointer, 0, kSeccompBadPointer, 0}},
    {"set_mempolicy", SYS_set_mempolicy, {-1, 0, 0, 0, 0, 0}},
};

std::string SeccompDescribe(int status) {
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("signal ") + strsignal(WTERMSIG(status));
  return "status " + std::to_string(status);
}

TEST(SeccompFilterTest, ProgramIsBuiltOnceAndLeavesErrorAlone) {
  std::string error = "untouched";
  const std::vector<sock_filter>& first = SeccompProgram(&error);
  EXPECT_EQ(error, "untouched");
  ASSERT_FALSE(first.empty());
  // The kernel refuses longer programs, and LaunchPlan narrows the length to 16 bits.
  EXPECT_LE(first.size(), static_cast<size_t>(BPF_MAXINSNS));
  // Built once: every caller, on every thread, gets the very same vector.
  std::vector<const std::vector<sock_filter>*> seen(4, nullptr);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&seen, i] {
      std::string thread_error;
      seen[i] = &SeccompProgram(&thread_error);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const auto* program : seen) EXPECT_EQ(program, &first);
}

TEST(SeccompFilterTest, EveryDeniedSyscallFailsWithEperm) {
  std::vector<SeccompOutcome> outcomes;
  const int status = SeccompRunInChild(
      true,
      [](int fd) {
        for (const SeccompDenied& call : kSeccompDeniedCalls) {
          errno = 0;
          SeccompRecord(
              fd, syscall(call.nr, call.args[0], call.args[1], call.args[2], call.args[3], call.args[4], call.args[5]));
        }
        return 0;
      },
      &outcomes);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << SeccompDescribe(status);
  ASSERT_EQ(outcomes.size(), std::size(kSeccompDeniedCalls));
  for (size_t i = 0; i < outcomes.size(); ++i) {
    EXPECT_EQ(outcomes[i].rc, -1) << kSeccompDeniedCalls[i].name;
    EXPECT_EQ(outcomes[i].err, EPERM) << kSeccompDeniedCalls[i].name << ": " << std::strerror(outcomes[i].err);
  }
}

// The control for the test above: without the filter the same calls do not all fail
// with EPERM, so EPERM above is the filter's doing.
TEST(SeccompFilterTest, WithoutTheFilterUnshareAndPersonalitySucceed) {
  std::vector<SeccompOutcome> outcomes;
  const int status = SeccompRunInChild(
      false,
      [](int fd) {
        SeccompRecord(fd, syscall(SYS_unshare, 0));
        SeccompRecord(fd, syscall(SYS_personality, 0xffffffffL));
        return 0;
      },
      &outcomes);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << SeccompDescribe(status);
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].rc, 0);
  EXPECT_GE(outcomes[1].rc, 0);
}

TEST(SeccompFilterTest, OnlyUnixSocketsAreAllowed) {
  std::vector<SeccompOutcome> outcomes;
  const int status = SeccompRunInChild(
      true,
      [](int fd) {
        for (int family : {AF_INET, AF_INET6, AF_NETLINK, AF_PACKET}) {
          SeccompRecord(fd, syscall(SYS_socket, family, SOCK_STREAM, 0));
        }
        // The family is an int: garbage in the upper half must not turn AF_INET into "not AF_UNIX".
        SeccompRecord(fd, syscall(SYS_socket, (1L << 32) | AF_INET, SOCK_STREAM, 0));
        SeccompRecord(fd, syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0));
        int pair[2];
        SeccompRecord(fd, socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
        // The pair works end to end.
        char got = 0;
        const long sent = write(pair[0], "k", 1);
        SeccompRecord(fd, sent == 1 && read(pair[1], &got, 1) == 1 && got == 'k' ? 0 : -1);
        return 0;
      },
      &outcomes);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << SeccompDescribe(status);
  ASSERT_EQ(outcomes.size(), 8u);
  const char* names[] = {"AF_INET", "AF_INET6", "AF_NETLINK", "AF_PACKET", "AF_INET with high bits"};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(outcomes[i].rc, -1) << names[i];
    EXPECT_EQ(outcomes[i].err, EPERM) << names[i];
  }
  EXPECT_GE(outcomes[5].rc, 0) << "AF_UNIX socket: " << std::strerror(outcomes[5].err);
  EXPECT_EQ(outcomes[6].rc, 0) << "socketpair: " << std::strerror(outcomes[6].err);
  EXPECT_EQ(outcomes[7].rc, 0) << "socketpair round trip";
}

TEST(SeccompFilterTest, CloneWithAnyNamespaceFlagIsRefused) {
  const long flags[] = {CLONE_NEWUSER, CLONE_NEWNS,  CLONE_NEWPID,    CLONE_NEWNET,
                        CLONE_NEWIPC,  CLONE_NEWUTS, CLONE_NEWCGROUP, CLONE_NEWNET | CLONE_NEWPID};
  std::vector<SeccompOutcome> outcomes;
  const int status = SeccompRunInChild(
      true,
      [&flags](int fd) {
        for (long flag : flags) {
          const long rc = syscall(SYS_clone, flag | SIGCHLD, 0, 0, 0, 0);
          if (rc == 0) _exit(0);  // let through: the new process leaves at once
          if (rc > 0) waitpid(static_cast<pid_t>(rc), nullptr, 0);
          SeccompRecord(fd, rc);
        }
        return 0;
      },
      &outcomes);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << SeccompDescribe(status);
  ASSERT_EQ(outcomes.size(), std::size(flags));
  for (size_t i = 0; i < outcomes.size(); ++i) {
    EXPECT_EQ(outcomes[i].rc, -1) << "flags 0x" << std::hex << flags[i];
    EXPECT_EQ(outcomes[i].err, EPERM) << "flags 0x" << std::hex << flags[i];
  }
}

void* SeccompThreadBody(void* arg) {
  *static_cast<int*>(arg) = 42;
  return nullptr;
}

TEST(SeccompFilterTest, ForkAndThreadsStillWorkAndClone3FallsBack) {
  std::vector<SeccompOutcome> outcomes;
  const int status = SeccompRunInChild(
      true,
      [](int fd) {
        // clone3's flags are out of the filter's reach: ENOSYS, so that libc uses clone().
        SeccompRecord(fd, syscall(SYS_clone3, nullptr, 0));
        const pid_t child = fork();
        if (child == 0) _exit(7);
        int child_status = 0;
        waitpid(child, &child_status, 0);
        SeccompRecord(fd, child > 0 && WIFEXITED(child_status) ? WEXITSTATUS(child_status) : -1);
        int value = 0;
        pthread_t thread;
        const int rc = pthread_create(&thread, nullptr, SeccompThreadBody, &value);
        if (rc == 0) pthread_join(thread, nullptr);
        SeccompRecord(fd, rc == 0 ? value : -1000 - rc);
        SeccompRecord(fd, syscall(SYS_getpid) == getpid() ? 0 : -1);
        return 0;
      },
      &outcomes);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << SeccompDescribe(status);
  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_EQ(outcomes[0].rc, -1);
  EXPECT_EQ(outcomes[0].err, ENOSYS);
  EXPECT_EQ(outcomes[1].rc, 7) << "fork";
  EXPECT_EQ(outcomes[2].rc, 42) << "pthread_create";
  EXPECT_EQ(outcomes[3].rc, 0);
}

TEST(SeccompFilterTest, TiocstiIsRefusedOtherIoctlsAreNot) {
  std::vector<SeccompOutcome> outcomes;
  const int status = SeccompRunInChild(
      true,
      [](int fd) {
        int fds[2];
        if (pipe(fds) != 0) return 2;
        char c = 'x';
        SeccompRecord(fd, syscall(SYS_ioctl, fds[1], TIOCSTI, &c));
        // The command is an unsigned int to the kernel: the upper half is ignored there,
        // so it must be ignored by the filter too.
        SeccompRecord(fd, syscall(SYS_ioctl, fds[1], (1UL << 32) | TIOCSTI, &c));
        int queued = -1;
        SeccompRecord(fd, syscall(SYS_ioctl, fds[0], FIONREAD, &queued));
        return 0;
      },
      &outcomes);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << SeccompDescribe(status);
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].rc, -1);
  EXPECT_EQ(outcomes[0].err, EPERM);
  EXPECT_EQ(outcomes[1].rc, -1);
  EXPECT_EQ(outcomes[1].err, EPERM);
  EXPECT_EQ(outcomes[2].rc, 0) << std::strerror(outcomes[2].err);
}

// The i386 getpid through int 0x80: returns the pid, or the child is killed.
int SeccompI386Getpid(int fd) {
  long ret = 20;  // __NR_getpid on i386
  asm volatile("int $0x80" : "+a"(ret) : : "memory", "r8", "r9", "r10", "r11");
  SeccompRecord(fd, ret);
  return 0;
}

// The deny list names x86-64 numbers; the same calls through the i386 entry have other
// numbers, so the filter has to refuse a foreign architecture outright.
TEST(SeccompFilterTest, ForeignArchitectureSyscallsKillTheProcess) {
#if defined(__x86_64__)
  std::vector<SeccompOutcome> control;
  const int plain = SeccompRunInChild(false, SeccompI386Getpid, &control);
  if (!WIFEXITED(plain) || control.size() != 1 || control[0].rc <= 0) {
    GTEST_SKIP() << "no i386 system calls on this kernel (" << SeccompDescribe(plain) << ")";
  }
  std::vector<SeccompOutcome> outcomes;
  const int status = SeccompRunInChild(true, SeccompI386Getpid, &outcomes);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) << SeccompDescribe(status);
  EXPECT_TRUE(outcomes.empty());
#else
  GTEST_SKIP() << "x86-64 only";
#endif
}

}  // namespace
}  // namespace rmg::sandbox_internal
