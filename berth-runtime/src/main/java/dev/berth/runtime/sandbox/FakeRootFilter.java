package dev.berth.runtime.sandbox;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The seccomp program (classic BPF, as bwrap's {@code --seccomp} reads it) that lets a fake root
 * do what package managers do: the {@code chown} family, {@code setuid}/{@code setgid} and their
 * relatives, {@code setgroups}, and {@code mknod} of a device all return success without doing
 * anything, as in Charliecloud's seccomp mode. Only one uid is mapped in berth's user namespace,
 * so these calls would fail with EPERM or EINVAL and stop {@code apt-get} and {@code dpkg};
 * answering success changes nothing on the host. Everything else, on any other architecture
 * too, is allowed as before.
 */
public final class FakeRootFilter {
    private static final int AUDIT_ARCH_X86_64 = 0xC000003E;
    private static final int AUDIT_ARCH_AARCH64 = 0xC00000B7;
    /** chown fchown lchown setuid setgid setreuid setregid setgroups setresuid setresgid setfsuid setfsgid fchownat */
    private static final int[] X86_64_FAKED = {92, 93, 94, 105, 106, 113, 114, 116, 117, 119, 122, 123, 260};
    private static final int X86_64_MKNOD = 133;
    private static final int X86_64_MKNODAT = 259;
    /** fchownat fchown setregid setgid setreuid setuid setresuid setresgid setfsuid setfsgid setgroups */
    private static final int[] AARCH64_FAKED = {54, 55, 143, 144, 145, 146, 147, 149, 151, 152, 159};
    private static final int AARCH64_MKNODAT = 33;

    private static final int OFFSET_NR = 0;
    private static final int OFFSET_ARCH = 4;
    private static final int OFFSET_ARG1 = 16 + 8;
    private static final int OFFSET_ARG2 = 16 + 16;
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private static final short LD_W_ABS = 0x20;
    private static final short JEQ_K = 0x15;
    private static final short JA = 0x05;
    private static final short AND_K = 0x54;
    private static final short RET_K = 0x06;
    private static final int RET_ALLOW = 0x7fff0000;
    /** SECCOMP_RET_ERRNO with errno 0: the call returns 0. */
    private static final int RET_SUCCESS = 0x00050000;

    private FakeRootFilter() {
    }

    public static byte[] program() {
        Assembler bpf = new Assembler();
        bpf.load(OFFSET_ARCH);
        bpf.jumpIfEqual(AUDIT_ARCH_X86_64, "x86_64", null);
        bpf.jumpIfEqual(AUDIT_ARCH_AARCH64, "aarch64", "allow");

        bpf.label("x86_64");
        bpf.load(OFFSET_NR);
        for (int call : X86_64_FAKED) {
            bpf.jumpIfEqual(call, "fake", null);
        }
        bpf.jumpIfEqual(X86_64_MKNOD, "mode-in-arg1", null);
        bpf.jumpIfEqual(X86_64_MKNODAT, "mode-in-arg2", "allow");

        bpf.label("aarch64");
        bpf.load(OFFSET_NR);
        for (int call : AARCH64_FAKED) {
            bpf.jumpIfEqual(call, "fake", null);
        }
        bpf.jumpIfEqual(AARCH64_MKNODAT, "mode-in-arg2", "allow");

        bpf.label("mode-in-arg1");
        bpf.load(OFFSET_ARG1);
        bpf.jump("device?");
        bpf.label("mode-in-arg2");
        bpf.load(OFFSET_ARG2);
        bpf.label("device?");
        bpf.and(S_IFMT);
        bpf.jumpIfEqual(S_IFCHR, "fake", null);
        bpf.jumpIfEqual(S_IFBLK, "fake", "allow");

        bpf.label("fake");
        bpf.ret(RET_SUCCESS);
        bpf.label("allow");
        bpf.ret(RET_ALLOW);
        return bpf.assemble();
    }

    /** Classic BPF with symbolic forward jumps; a null target means the next instruction. */
    private static final class Assembler {
        private record Instruction(short code, String whenTrue, String whenFalse, int k) {
        }

        private final List<Instruction> instructions = new ArrayList<>();
        private final Map<String, Integer> labels = new HashMap<>();

        void label(String name) {
            labels.put(name, instructions.size());
        }

        void load(int offset) {
            instructions.add(new Instruction(LD_W_ABS, null, null, offset));
        }

        void jumpIfEqual(int value, String whenTrue, String whenFalse) {
            instructions.add(new Instruction(JEQ_K, whenTrue, whenFalse, value));
        }

        void jump(String target) {
            instructions.add(new Instruction(JA, target, null, 0));
        }

        void and(int mask) {
            instructions.add(new Instruction(AND_K, null, null, mask));
        }

        void ret(int action) {
            instructions.add(new Instruction(RET_K, null, null, action));
        }

        byte[] assemble() {
            ByteBuffer program = ByteBuffer.allocate(instructions.size() * 8).order(ByteOrder.nativeOrder());
            for (int at = 0; at < instructions.size(); at++) {
                Instruction instruction = instructions.get(at);
                int whenTrue = offset(at, instruction.whenTrue());
                int whenFalse = offset(at, instruction.whenFalse());
                program.putShort(instruction.code());
                if (instruction.code() == JA) {
                    program.put((byte) 0).put((byte) 0).putInt(whenTrue);
                } else {
                    program.put((byte) whenTrue).put((byte) whenFalse).putInt(instruction.k());
                }
            }
            return program.array();
        }

        private int offset(int at, String label) {
            if (label == null) {
                return 0;
            }
            int target = labels.get(label);
            int offset = target - at - 1;
            if (offset < 0 || offset > 255) {
                throw new IllegalStateException("seccomp jump from " + at + " to " + label + " is out of range");
            }
            return offset;
        }
    }
}
