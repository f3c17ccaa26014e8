package dev.outlayer.bench.targetsystem.wasm;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.Global;
import com.dylibso.chicory.wasm.types.Instruction;
import com.dylibso.chicory.wasm.types.OpCode;
import com.dylibso.chicory.wasm.types.ValType;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Rewrites a wasm binary so that it meters itself with nearcore's current cost model: preparation
 * v3 ({@code runtime/near-vm-runner/src/prepare/prepare_v3.rs}, finite-wasm's gas analysis with
 * nearcore's {@code SimpleGasCostCfg}). Every operation costs {@code wasm_regular_op_cost}, except
 * {@code block}, {@code else} and {@code end}, which cost zero, and the bulk operations
 * {@code memory.init/copy/fill} and {@code table.init/copy/fill}, which cost
 * {@code wasm_linear_op_base_cost} plus {@code wasm_linear_op_unit_cost} per byte or element they
 * move (the count is their last operand, read at run time). {@code loop}, {@code if},
 * {@code br*}, {@code call*} and {@code memory.grow} are regular operations. Each metered block
 * (function body, block, loop, if/else arm) is charged at its start for the operations it
 * contains, those after a nested block's {@code end} included, so a loop pays on every iteration.
 *
 * <p>Instead of an imported {@code gas} function (which would shift every function index), the
 * charge is inline code: one appended mutable i64 global holds the remaining gas between
 * functions, and each function works on a copy in an appended i64 local (a JVM local once Chicory
 * compiles it, so a charge costs a subtract and a compare). The copy is written back to the global
 * before every call (host functions and callees charge the global), before every way out of the
 * function and before {@code unreachable}, and read again after each call. Existing function,
 * global, type and local indices stay as they were. When the remaining gas goes below zero the
 * code stores it and traps with {@code unreachable}; the host reads the global to tell an
 * out-of-gas trap from any other (see {@link GasMeter}). A trap of another kind (say a division by
 * zero) leaves the global at its last write-back, so a failed call's gas_burnt may omit the
 * operations since the function's last call or entry.
 *
 * <p>The pass is module-agnostic: the contract simulator uses nearcore's costs, an instruction
 * limit for plain programs uses 1 per operation.
 */
public final class GasInstrumenter {
    private static final int SECTION_CUSTOM = 0;
    private static final int SECTION_GLOBAL = 6;
    private static final int SECTION_CODE = 10;
    private static final int SECTION_START = 8;

    private GasInstrumenter() {}

    /**
     * Returns the instrumented binary of {@code original}, which must already have been parsed
     * (and so validated) into {@code module}.
     */
    public static MeteredBinary instrument(byte[] original, WasmModule module, long gasPerOp) {
        return instrument(original, module, gasPerOp, 0);
    }

    /**
     * As {@link #instrument(byte[], WasmModule, long)}, also charging {@code opsPerGrownPage}
     * operations for every page {@code memory.grow} asks for (nearcore's {@code wasm_grow_mem_cost},
     * pwasm-utils' grow counter), before it grows.
     */
    public static MeteredBinary instrument(byte[] original, WasmModule module, long gasPerOp, long opsPerGrownPage) {
        return instrument(original, module, gasPerOp, opsPerGrownPage, gasPerOp, 0);
    }

    /**
     * As {@link #instrument(byte[], WasmModule, long, long)}, with finite-wasm's fee of the bulk
     * memory and table operations: {@code linearBase} gas each, plus {@code linearUnit} per unit
     * they move.
     */
    public static MeteredBinary instrument(
            byte[] original, WasmModule module, long gasPerOp, long opsPerGrownPage, long linearBase, long linearUnit) {
        return instrument(original, module, gasPerOp, opsPerGrownPage, linearBase, linearUnit, false);
    }

    /**
     * As above; with {@code chargeFrames} every function call also pays finite-wasm's frame charge
     * on entry: {@code ceil(activation / 8)} operations, the activation being 64 bytes plus the
     * function's parameters and locals at 4 (i32, f32), 8 (i64, f64, references) or 16 (v128)
     * bytes each ({@link #activationBytes}).
     */
    public static MeteredBinary instrument(
            byte[] original,
            WasmModule module,
            long gasPerOp,
            long opsPerGrownPage,
            long linearBase,
            long linearUnit,
            boolean chargeFrames) {
        return instrument(original, module, gasPerOp, opsPerGrownPage, linearBase, linearUnit, chargeFrames, null);
    }

    /**
     * As above; with a {@code stackLimit} also nearcore's max_stack_height: every function entry
     * reserves its {@link StackAnalysis} charge from a second appended global that starts at the
     * limit, and traps (leaving it negative) when it cannot (see {@link StackAnalysis#writeReserve}).
     */
    public static MeteredBinary instrument(
            byte[] original,
            WasmModule module,
            long gasPerOp,
            long opsPerGrownPage,
            long linearBase,
            long linearUnit,
            boolean chargeFrames,
            StackAnalysis.Limit stackLimit) {
        return instrument(
                original,
                module,
                gasPerOp,
                opsPerGrownPage,
                linearBase,
                linearUnit,
                chargeFrames,
                stackLimit,
                false,
                false);
    }

    /**
     * As above, and also records what builds the instrumented module in memory
     * ({@link MeteredBinary#instrumented()}), exactly as Chicory's parser would from the bytes, so
     * that nothing parses them again. {@code module} is the parse of {@code original}, validated
     * before the module is built (validation may run while this instruments).
     */
    public static MeteredBinary instrumentToModule(
            byte[] original,
            WasmModule module,
            long gasPerOp,
            long opsPerGrownPage,
            long linearBase,
            long linearUnit,
            boolean chargeFrames,
            StackAnalysis.Limit stackLimit) {
        return instrument(
                original,
                module,
                gasPerOp,
                opsPerGrownPage,
                linearBase,
                linearUnit,
                chargeFrames,
                stackLimit,
                false,
                true);
    }

    private static MeteredBinary instrument(
            byte[] original,
            WasmModule module,
            long gasPerOp,
            long opsPerGrownPage,
            long linearBase,
            long linearUnit,
            boolean chargeFrames,
            StackAnalysis.Limit stackLimit,
            boolean wasmtimeFuel,
            boolean buildModule) {
        if (gasPerOp <= 0 || opsPerGrownPage < 0 || linearBase < 0 || linearUnit < 0) {
            throw new IllegalArgumentException("gas per operation must be positive");
        }
        int gasGlobal = module.importSection().count(ExternalType.GLOBAL)
                + module.globalSection().globalCount();
        // Stack limit hook: the analysis and the code it inserts live in StackAnalysis.
        List<StackAnalysis.FunctionStack> stacks = stackLimit != null ? stackLimit.functions() : null;
        long stackGlobalInit = stackLimit != null ? stackLimit.maxStackHeight() : -1;
        List<RawSection> sections = RawSection.split(original);
        CodeWriter out = new CodeWriter(original.length + original.length / 4 + 64, false);
        out.write(original, 0, 8);
        boolean globalWritten = false;
        long staticOps = 0;
        List<Global> addedGlobals = new ArrayList<>(2);
        CodeRewrite code = null;
        int codeStart = -1;
        for (RawSection section : sections) {
            if (!globalWritten && section.id != SECTION_CUSTOM && order(section.id) >= order(SECTION_GLOBAL)) {
                addedGlobals =
                        writeGlobals(out, section.id == SECTION_GLOBAL ? original : null, section, stackGlobalInit);
                globalWritten = true;
                if (section.id == SECTION_GLOBAL) {
                    continue;
                }
            }
            if (section.id == SECTION_START) {
                continue; // the host runs it once the budget is in place: see MeteredBinary#startFunction
            }
            if (section.id == SECTION_CODE) {
                code = rewriteCode(
                        original,
                        section,
                        module,
                        gasGlobal,
                        gasPerOp,
                        gasPerOp * opsPerGrownPage,
                        linearBase,
                        linearUnit,
                        chargeFrames,
                        stacks,
                        wasmtimeFuel,
                        buildModule);
                staticOps = code.staticOps;
                codeStart = out.size() + 1 + Leb128.unsignedSize(code.bytes.length);
                writeSection(out, SECTION_CODE, code.bytes);
            } else {
                writeSection(out, section.id, original, section.start, section.end);
            }
        }
        if (!globalWritten) {
            addedGlobals = writeGlobals(out, null, null, stackGlobalInit);
        }
        int start = module.startSection().map(s -> (int) s.startIndex()).orElse(-1);
        byte[] bytes = out.toByteArray();
        InstrumentedModule instrumented = null;
        if (buildModule && code != null && code.bodyBounds != null) {
            instrumented = new InstrumentedModule(
                    module,
                    addedGlobals,
                    code.writer,
                    code.bodyBounds,
                    stacks != null ? List.of(ValType.I64, ValType.I32, ValType.I64) : List.of(ValType.I64, ValType.I32),
                    codeStart,
                    digest(bytes));
        }
        return new MeteredBinary(
                bytes, gasGlobal, gasPerOp, staticOps, start, stacks != null ? gasGlobal + 1 : -1, instrumented);
    }

    /** The digest Chicory's parser gives a module: {@code sha-256:} and the base64 of the bytes' SHA-256. */
    static String digest(byte[] bytes) {
        try {
            return "sha-256:"
                    + Base64.getEncoder()
                            .encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Meters the module as wasmtime's fuel counts ({@code Config::consume_fuel}, cranelift's
     * {@code fuel_before_op} with the default operator costs): every function entry costs 1;
     * {@code nop}, {@code drop}, {@code block}, {@code loop}, {@code unreachable}, {@code return},
     * {@code else} and {@code end} cost 0; every other operator costs 1, {@code if}, branches,
     * calls, {@code memory.grow} and the bulk memory operations included (flat, whatever they
     * move). Host functions cost nothing. wasmtime adds an operator's fuel when control leaves a
     * straight line of code, so it bills only operators that run: here each straight line (cut
     * after every branch, call, {@code loop}, {@code if}, {@code else} and {@code end}) is charged
     * at its start, which bills the same operators on every run that does not trap.
     */
    public static MeteredBinary instrumentWasmtimeFuel(byte[] original, WasmModule module) {
        return instrument(original, module, 1, 0, 1, 0, false, null, true, false);
    }

    /**
     * The instrumented binary. Its start section is removed: instantiation would run the start
     * function before the host could put the budget into the metering global (Chicory creates
     * globals and runs the start function in one step), so the host calls {@code startFunction}
     * itself right after {@link GasMeter#attach}. Every index is unchanged.
     *
     * @param startFunction the original start function's index, or -1
     * @param stackGlobalIndex the stack-limit global (bytes of stack left), or -1 without a limit
     * @param instrumented what builds the instrumented module as Chicory parses {@code bytes}, or
     *     null: not asked for ({@link #instrumentToModule}), or the code holds instructions it
     *     cannot build (then parse the bytes)
     */
    public record MeteredBinary(
            byte[] bytes,
            int gasGlobalIndex,
            long gasPerOp,
            long staticOps,
            int startFunction,
            int stackGlobalIndex,
            InstrumentedModule instrumented) {
        /** The instrumented module, built on this thread; null if {@link #instrumented} is. */
        public WasmModule buildModule() {
            return instrumented == null ? null : instrumented.build(Runnable::run);
        }
    }

    /** Position of a known section in the order the binary format requires. */
    private static int order(int id) {
        return switch (id) {
            case 1, 2, 3, 4, 5 -> id;
            case 13 -> 6; // tag
            case 6 -> 7; // global
            case 7 -> 8; // export
            case 8 -> 9; // start
            case 9 -> 10; // element
            case 12 -> 11; // data count
            case 10 -> 12; // code
            case 11 -> 13; // data
            default -> 100;
        };
    }

    /**
     * Writes the global section with one more entry, {@code (global (mut i64) (i64.const 0))}, and
     * a second one initialised to {@code stackGlobalInit} unless that is negative; returns the
     * appended globals as Chicory reads them.
     */
    private static List<Global> writeGlobals(
            CodeWriter out, byte[] original, RawSection existing, long stackGlobalInit) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        long count = 0;
        int[] pos = {0};
        if (original != null) {
            pos[0] = existing.start;
            count = Leb128.readUnsigned(original, pos);
        }
        Leb128.writeUnsigned(body, count + (stackGlobalInit >= 0 ? 2 : 1));
        if (original != null) {
            body.write(original, pos[0], existing.end - pos[0]);
        }
        int gasAt = body.size();
        body.write(new byte[] {0x7E, 0x01, 0x42, 0x00, 0x0B}, 0, 5);
        if (stackGlobalInit >= 0) {
            StackAnalysis.writeGlobal(body, stackGlobalInit);
        }
        int contentStart = out.size() + 1 + Leb128.unsignedSize(body.size());
        writeSection(out, SECTION_GLOBAL, body.toByteArray());
        // Each entry: type, mutability, then the constant (i64.const at +2) and its end.
        int gas = contentStart + gasAt;
        List<Global> added = new ArrayList<>(2);
        added.add(InstrumentedModule.mutableI64(0, gas + 2));
        if (stackGlobalInit >= 0) {
            added.add(InstrumentedModule.mutableI64(stackGlobalInit, gas + 7));
        }
        return added;
    }

    /** The code section's bytes; with a module to build, also its recorded instructions and where each body's start. */
    private record CodeRewrite(byte[] bytes, long staticOps, CodeWriter writer, int[] bodyBounds) {}

    private static CodeRewrite rewriteCode(
            byte[] original,
            RawSection section,
            WasmModule module,
            int gasGlobal,
            long gasPerOp,
            long gasPerGrownPage,
            long linearBase,
            long linearUnit,
            boolean chargeFrames,
            List<StackAnalysis.FunctionStack> stacks,
            boolean wasmtimeFuel,
            boolean record) {
        int[] pos = {section.start};
        long count = Leb128.readUnsigned(original, pos);
        FunctionBody[] bodies = module.codeSection().functionBodies();
        if (count != bodies.length) {
            throw new IllegalArgumentException("code section holds " + count + " bodies, parser saw " + bodies.length);
        }
        int importedFunctions = module.importSection().count(ExternalType.FUNCTION);
        CodeWriter out = new CodeWriter(section.end - section.start + section.end / 4 + 64, false);
        Leb128.writeUnsigned(out, count);
        CodeWriter body = new CodeWriter(4096, record);
        int[] bodyBounds = record ? new int[bodies.length + 1] : null;
        long staticOps = 0;
        for (int f = 0; f < bodies.length; f++) {
            FunctionBody function = bodies[f];
            long size = Leb128.readUnsigned(original, pos);
            int bodyStart = pos[0];
            int bodyEnd = Math.toIntExact(bodyStart + size);
            pos[0] = bodyEnd;
            List<? extends Instruction> instructions = function.instructions();
            long[] ops = wasmtimeFuel ? null : new long[instructions.size() + 1];
            long[] charges = wasmtimeFuel
                    ? wasmtimeFuelCosts(instructions)
                    : meteredBlockCosts(instructions, gasPerOp, linearBase, ops);
            if (wasmtimeFuel) {
                ops = charges;
            }
            List<ValType> paramTypes = module.functionSection()
                    .getFunctionType(f, module.typeSection())
                    .params();
            int params = paramTypes.size();
            if (chargeFrames) {
                long frameOps = (activationBytes(paramTypes, function.localTypes()) + 7) / 8;
                charges[0] += frameOps * gasPerOp;
                ops[0] += frameOps;
            }
            int gasLocal = params + function.localTypes().size();
            int pagesLocal = gasLocal + 1;
            int stackLocal = gasLocal + 2; // only declared with a stack limit
            body.startBody();
            if (bodyBounds != null) {
                bodyBounds[f] = body.instructionCount();
            }
            int firstInstruction = instructions.get(0).address();
            // Local declarations plus one i64, the function's working copy of the remaining gas,
            // and one i32 for the page count of memory.grow.
            int[] localsPos = {bodyStart};
            long localGroups = Leb128.readUnsigned(original, localsPos);
            Leb128.writeUnsigned(body, localGroups + (stacks != null ? 3 : 2));
            body.write(original, localsPos[0], firstInstruction - localsPos[0]);
            body.write(0x01);
            body.write(0x7E);
            body.write(0x01);
            body.write(0x7F);
            if (stacks != null) {
                StackAnalysis.writeLocal(body);
            }
            load(body, gasGlobal, gasLocal);
            long stackCharge = stacks != null ? stacks.get(f).charge() : 0;
            if (stacks != null) {
                // Before the frame's gas, as nearcore checks the stack before charging the frame.
                StackAnalysis.writeReserve(body, gasGlobal + 1, stackLocal, stackCharge);
            }
            int depth = 0;
            int last = instructions.size() - 1;
            for (int i = 0; i < instructions.size(); i++) {
                Instruction instruction = instructions.get(i);
                staticOps += ops[i];
                if (charges[i] > 0) {
                    writeCharge(body, gasGlobal, gasLocal, charges[i]);
                }
                OpCode op = instruction.opcode();
                boolean call = isCall(op);
                if (call
                        || op == OpCode.UNREACHABLE
                        || (op == OpCode.END && i == last)
                        || leavesFunction(instruction, depth)) {
                    store(body, gasGlobal, gasLocal);
                }
                if (op == OpCode.MEMORY_GROW && gasPerGrownPage > 0) {
                    writeGrowCharge(body, gasGlobal, gasLocal, pagesLocal, gasPerGrownPage);
                }
                if (isLinear(op) && linearUnit > 0) {
                    // The count is the operation's last operand, on top of the stack: same shape as grow.
                    writeGrowCharge(body, gasGlobal, gasLocal, pagesLocal, linearUnit);
                }
                boolean tailCall =
                        op == OpCode.RETURN_CALL || op == OpCode.RETURN_CALL_INDIRECT || op == OpCode.RETURN_CALL_REF;
                if (tailCall && stacks != null) {
                    StackAnalysis.writeRelease(body, gasGlobal + 1, stackLocal, stackCharge);
                }
                int from = instruction.address();
                int to = i < last ? instructions.get(i + 1).address() : bodyEnd;
                if (bodyBounds != null && !InstrumentedModule.supported(op)) {
                    bodyBounds = null; // the caller parses the bytes instead
                }
                body.copy(instruction, original, from, to);
                if (call && !tailCall) {
                    load(body, gasGlobal, gasLocal);
                    // A host function (an imported index) reserves no stack: S is as this frame left it.
                    boolean hostCall = op == OpCode.CALL && instruction.operand(0) < importedFunctions;
                    if (stacks != null && !hostCall) {
                        StackAnalysis.writeRestore(body, gasGlobal + 1, stackLocal);
                    }
                }
                switch (op) {
                    case BLOCK, LOOP, IF, TRY_TABLE -> depth++;
                    case END -> depth = Math.max(0, depth - 1);
                    default -> {}
                }
            }
            Leb128.writeUnsigned(out, body.size());
            body.bodyPlaced(out.size());
            body.appendTo(out);
        }
        if (bodyBounds != null) {
            bodyBounds[bodies.length] = body.instructionCount();
        }
        return new CodeRewrite(out.toByteArray(), staticOps, record ? body : null, bodyBounds);
    }

    /** Calls hand the budget over through the global: the callee (or host) reads and charges it there. */
    private static boolean isCall(OpCode op) {
        return switch (op) {
            case CALL, CALL_INDIRECT, CALL_REF, RETURN_CALL, RETURN_CALL_INDIRECT, RETURN_CALL_REF -> true;
            default -> false;
        };
    }

    /** return, or a branch to the function's own label (depth counts the blocks open inside the body). */
    private static boolean leavesFunction(Instruction instruction, int depth) {
        switch (instruction.opcode()) {
            case RETURN:
                return true;
            case BR:
            case BR_IF:
                return instruction.operand(0) == depth;
            case BR_TABLE:
                for (long label : instruction.operands()) {
                    if (label == depth) {
                        return true;
                    }
                }
                return false;
            default:
                return false;
        }
    }

    /** local = global. */
    private static void load(CodeWriter out, int gasGlobal, int gasLocal) {
        out.globalGet(gasGlobal);
        out.localSet(gasLocal);
    }

    /** global = local. */
    private static void store(CodeWriter out, int gasGlobal, int gasLocal) {
        out.localGet(gasLocal);
        out.globalSet(gasGlobal);
    }

    /**
     * nearcore's SimpleMaxStackCfg::size_of_function_activation: 64 bytes (return address, frame
     * pointer, spilled registers) plus every parameter and local at its size.
     */
    static long activationBytes(List<ValType> params, List<ValType> locals) {
        long bytes = 64;
        for (ValType type : params) {
            bytes += valueBytes(type);
        }
        for (ValType type : locals) {
            bytes += valueBytes(type);
        }
        return bytes;
    }

    private static int valueBytes(ValType type) {
        if (type.equals(ValType.I32) || type.equals(ValType.F32)) {
            return 4;
        }
        if (type.equals(ValType.V128)) {
            return 16;
        }
        return 8; // i64, f64 and references
    }

    /** finite-wasm's linear-fee operations: the constant part is static, the rest per unit moved. */
    private static boolean isLinear(OpCode op) {
        return switch (op) {
            case MEMORY_INIT, MEMORY_COPY, MEMORY_FILL, TABLE_INIT, TABLE_COPY, TABLE_FILL -> true;
            default -> false;
        };
    }

    /** For each instruction index, the number of operations of the metered block that starts there. */
    static long[] meteredBlockCosts(List<? extends Instruction> instructions) {
        return meteredBlockCosts(instructions, 1, 1, null);
    }

    /**
     * For each instruction index, the gas of the metered block that starts there (0 if none does).
     * block, loop and if start a new block (loop and if are counted in the enclosing one); else
     * closes one arm and starts the next; end closes the current block, and what follows it counts
     * in the enclosing one. block, else and end cost nothing, as in nearcore's SimpleGasCostCfg.
     * {@code ops}, when given, gets each block's number of operations in the same pass.
     */
    static long[] meteredBlockCosts(
            List<? extends Instruction> instructions, long regular, long linearBase, long[] ops) {
        int count = instructions.size();
        long[] costs = new long[count + 1];
        int[] open = new int[16]; // the instruction indices where the open blocks start, innermost last
        int depth = 1; // open[0] = 0: the function's own block
        for (int i = 0; i < count; i++) {
            OpCode op = instructions.get(i).opcode();
            switch (op) {
                case BLOCK -> open = push(open, depth++, i + 1);
                case LOOP, IF, TRY_TABLE -> {
                    charge(costs, ops, open[depth - 1], regular);
                    open = push(open, depth++, i + 1);
                }
                case ELSE -> open[depth - 1] = i + 1;
                case END -> depth = Math.max(0, depth - 1);
                default -> charge(costs, ops, depth == 0 ? 0 : open[depth - 1], isLinear(op) ? linearBase : regular);
            }
        }
        return costs;
    }

    private static int[] push(int[] stack, int at, int value) {
        int[] s = at < stack.length ? stack : java.util.Arrays.copyOf(stack, stack.length * 2);
        s[at] = value;
        return s;
    }

    private static void charge(long[] costs, long[] ops, int block, long gas) {
        costs[block] += gas;
        if (ops != null) {
            ops[block]++;
        }
    }

    /**
     * For each instruction index, the fuel of the straight line of code that starts there (0 if
     * none does), as wasmtime bills it: the function entry's 1 goes to the first line.
     */
    static long[] wasmtimeFuelCosts(List<? extends Instruction> instructions) {
        long[] costs = new long[instructions.size() + 1];
        costs[0] = 1;
        int line = 0;
        for (int i = 0; i < instructions.size(); i++) {
            OpCode op = instructions.get(i).opcode();
            costs[line] += wasmtimeFuel(op);
            if (endsStraightLine(op)) {
                line = i + 1;
            }
        }
        return costs;
    }

    /** wasmtime's default operator cost: operators that generate no code, and cheap control flow, are free. */
    static int wasmtimeFuel(OpCode op) {
        return switch (op) {
            case NOP, DROP, BLOCK, LOOP, UNREACHABLE, RETURN, ELSE, END -> 0;
            default -> 1;
        };
    }

    /** Where control may leave or enter a line other than by falling through. */
    private static boolean endsStraightLine(OpCode op) {
        return isCall(op)
                || switch (op) {
                    case LOOP, IF, ELSE, END, BR, BR_IF, BR_TABLE, RETURN, UNREACHABLE, TRY_TABLE -> true;
                    default -> false;
                };
    }

    /** With the page count on the stack: local -= pages * cost; if (local < 0) { global = local; unreachable } */
    private static void writeGrowCharge(CodeWriter out, int gasGlobal, int gasLocal, int pagesLocal, long gasPerPage) {
        out.localTee(pagesLocal);
        out.localGet(gasLocal);
        out.localGet(pagesLocal);
        out.simple(OpCode.I64_EXTEND_I32_U);
        out.i64Const(gasPerPage);
        out.simple(OpCode.I64_MUL);
        subtractAndTrapIfExhausted(out, gasGlobal, gasLocal);
    }

    /** local -= cost; if (local < 0) { global = local; unreachable } */
    private static void writeCharge(CodeWriter out, int gasGlobal, int gasLocal, long gas) {
        out.localGet(gasLocal);
        out.i64Const(gas);
        subtractAndTrapIfExhausted(out, gasGlobal, gasLocal);
    }

    /** With a cost on the stack: local = local - cost; if (local < 0) { global = local; unreachable } */
    private static void subtractAndTrapIfExhausted(CodeWriter out, int gasGlobal, int gasLocal) {
        out.simple(OpCode.I64_SUB);
        out.localTee(gasLocal);
        out.i64Const(0);
        out.simple(OpCode.I64_LT_S);
        out.ifEmpty();
        store(out, gasGlobal, gasLocal);
        out.simple(OpCode.UNREACHABLE); // the host reads the negative global as out of gas
        out.simple(OpCode.END);
    }

    private static void writeSection(ByteArrayOutputStream out, int id, byte[] contents) {
        writeSection(out, id, contents, 0, contents.length);
    }

    private static void writeSection(ByteArrayOutputStream out, int id, byte[] bytes, int start, int end) {
        out.write(id);
        Leb128.writeUnsigned(out, end - start);
        out.write(bytes, start, end - start);
    }

    /** One section of a binary: its id and where its contents lie. */
    record RawSection(int id, int start, int end) {
        static List<RawSection> split(byte[] module) {
            if (module.length < 8) {
                throw new IllegalArgumentException("not a wasm module: " + module.length + " bytes");
            }
            List<RawSection> sections = new ArrayList<>();
            int[] pos = {8};
            while (pos[0] < module.length) {
                int id = module[pos[0]++] & 0xFF;
                long size = Leb128.readUnsigned(module, pos);
                if (size > module.length - pos[0]) {
                    throw new IllegalArgumentException("section " + id + " declares " + size + " bytes but only "
                            + (module.length - pos[0]) + " remain");
                }
                sections.add(new RawSection(id, pos[0], (int) (pos[0] + size)));
                pos[0] += (int) size;
            }
            return sections;
        }
    }
}
