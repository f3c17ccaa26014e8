package dev.outlayer.bench.targetsystem.wasm;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.GlobalImport;
import com.dylibso.chicory.wasm.types.Instruction;
import com.dylibso.chicory.wasm.types.OpCode;
import com.dylibso.chicory.wasm.types.TableImport;
import com.dylibso.chicory.wasm.types.ValType;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * finite-wasm's stack analysis ({@code src/max_stack}) with nearcore's {@code SimpleMaxStackCfg}
 * (prepare_v3.rs): for every function defined in a module, the bytes its activation takes (64 plus
 * its parameters and locals, {@link GasInstrumenter#activationBytes}) and the largest size its
 * operand stack can reach, values counted at 4 (i32, f32), 8 (i64, f64, references) or 16 (v128)
 * bytes. nearcore's instrumentation (instrument_v3.rs) reserves the sum of the two from
 * {@code max_stack_height} when the function is entered and traps with StackOverflow when what is
 * left cannot cover it.
 *
 * <p>The walk follows finite-wasm's rules, including its simplifications: code after
 * {@code unreachable}, {@code br}, {@code br_table} and {@code return} does not count until its
 * block ends; {@code br_if} only pops its condition; {@code call_indirect} pops the callee's
 * parameters but not the table index (finite-wasm leaves it counted).
 */
public final class StackAnalysis {
    /** nearcore's max_operand_stack_bytes_per_function at protocol 86: a larger function fails to deploy. */
    public static final long MAX_OPERAND_STACK_BYTES_PER_FUNCTION = 8_192;

    private StackAnalysis() {}

    /** What one defined function reserves: {@code frameBytes + operandStackBytes} on entry. */
    public record FunctionStack(long frameBytes, long operandStackBytes) {
        public long charge() {
            return frameBytes + operandStackBytes;
        }
    }

    /** The limit the instrumenter enforces: each function's charge (code-section order) and the total allowed. */
    public record Limit(List<FunctionStack> functions, long maxStackHeight) {
        public Limit {
            if (maxStackHeight < 0) {
                throw new IllegalArgumentException("max stack height must not be negative");
            }
            functions = List.copyOf(functions);
        }
    }

    /** One entry per function of the code section, in order; throws on an instruction NEAR does not allow. */
    public static List<FunctionStack> analyze(WasmModule module) {
        ModuleTypes types = ModuleTypes.of(module);
        FunctionBody[] bodies = module.codeSection().functionBodies();
        List<FunctionStack> result = new ArrayList<>(bodies.length);
        for (int f = 0; f < bodies.length; f++) {
            FunctionType type =
                    module.typeSection().getType(module.functionSection().getFunctionType(f));
            List<ValType> locals = new ArrayList<>(type.params());
            locals.addAll(bodies[f].localTypes());
            long frame = GasInstrumenter.activationBytes(type.params(), bodies[f].localTypes());
            long operands = new Walk(types, locals).run(bodies[f].instructions());
            result.add(new FunctionStack(frame, operands));
        }
        return result;
    }

    // Code GasInstrumenter inserts for the limit. One appended global S holds the bytes of stack
    // left; each function keeps its own level in an appended local s, so that after a call returns
    // S is simply set back to s (nearcore releases the reservation on the callee's exits instead;
    // the totals seen at every function entry are the same).

    /** The global S: {@code (global (mut i64) (i64.const maxStackHeight))}. */
    static void writeGlobal(ByteArrayOutputStream out, long maxStackHeight) {
        out.write(0x7E);
        out.write(0x01);
        out.write(0x42);
        Leb128.writeSigned(out, maxStackHeight);
        out.write(0x0B);
    }

    /** The local s: one i64 local declaration. */
    static void writeLocal(ByteArrayOutputStream out) {
        out.write(0x01);
        out.write(0x7E);
    }

    /** On entry: {@code s = S - charge; S = s; if (s < 0) unreachable} (the host reads S < 0 as StackOverflow). */
    static void writeReserve(CodeWriter out, int stackGlobal, int stackLocal, long charge) {
        out.globalGet(stackGlobal);
        out.i64Const(charge);
        out.simple(OpCode.I64_SUB);
        out.localTee(stackLocal);
        out.globalSet(stackGlobal);
        out.localGet(stackLocal);
        out.i64Const(0);
        out.simple(OpCode.I64_LT_S);
        out.ifEmpty();
        out.simple(OpCode.UNREACHABLE);
        out.simple(OpCode.END);
    }

    /** After a call of a module function returns (host functions leave S alone): {@code S = s}. */
    static void writeRestore(CodeWriter out, int stackGlobal, int stackLocal) {
        out.localGet(stackLocal);
        out.globalSet(stackGlobal);
    }

    /** Before a tail call, which replaces this frame: {@code S = s + charge}. */
    static void writeRelease(CodeWriter out, int stackGlobal, int stackLocal, long charge) {
        out.localGet(stackLocal);
        out.i64Const(charge);
        out.simple(OpCode.I64_ADD);
        out.globalSet(stackGlobal);
    }

    /** The bytes a value of this type takes on the stack (SimpleMaxStackCfg::size_of_value). */
    static int size(ValType type) {
        return sizeOfId(type.id());
    }

    private static int sizeOfId(long id) {
        if (id == ValType.I32.id() || id == ValType.F32.id()) {
            return 4;
        }
        if (id == ValType.I64.id() || id == ValType.F64.id()) {
            return 8;
        }
        if (id == ValType.V128.id()) {
            return 16;
        }
        return 8; // references
    }

    /** Types of the module's function, global and table index spaces, imports first. */
    private record ModuleTypes(
            WasmModule module, List<FunctionType> functions, List<ValType> globals, List<ValType> tables) {
        static ModuleTypes of(WasmModule module) {
            List<FunctionType> functions = new ArrayList<>();
            List<ValType> globals = new ArrayList<>();
            List<ValType> tables = new ArrayList<>();
            var imports = module.importSection();
            for (int i = 0; i < imports.importCount(); i++) {
                var imported = imports.getImport(i);
                if (imported instanceof FunctionImport function) {
                    functions.add(module.typeSection().getType(function.typeIndex()));
                } else if (imported instanceof GlobalImport global) {
                    globals.add(global.type());
                } else if (imported instanceof TableImport table) {
                    tables.add(table.entryType());
                }
            }
            for (int f = 0; f < module.functionSection().functionCount(); f++) {
                functions.add(
                        module.typeSection().getType(module.functionSection().getFunctionType(f)));
            }
            for (int g = 0; g < module.globalSection().globalCount(); g++) {
                globals.add(module.globalSection().getGlobal(g).valueType());
            }
            for (int t = 0; t < module.tableSection().tableCount(); t++) {
                tables.add(module.tableSection().getTable(t).elementType());
            }
            if (imports.count(ExternalType.FUNCTION) + module.functionSection().functionCount() != functions.size()) {
                throw new IllegalStateException("function index space does not add up");
            }
            return new ModuleTypes(module, functions, globals, tables);
        }

        FunctionType type(long typeIndex) {
            return module.typeSection().getType((int) typeIndex);
        }
    }

    /** A block's frame: the operand count at its start and its type (as Chicory encodes it). */
    private record Frame(int height, long blockType, boolean polymorphic) {}

    /** One function's walk: finite-wasm's max_stack Visitor. */
    private static final class Walk {
        private static final long EMPTY_BLOCK = 64;

        private final ModuleTypes types;
        private final List<ValType> locals;
        private final List<Integer> operands = new ArrayList<>();
        private final List<Frame> frames = new ArrayList<>();
        private Frame current = new Frame(0, EMPTY_BLOCK, false);
        private long size;
        private long max;

        Walk(ModuleTypes types, List<ValType> locals) {
            this.types = types;
            this.locals = locals;
        }

        long run(List<? extends Instruction> instructions) {
            for (Instruction instruction : instructions) {
                visit(instruction);
            }
            return max;
        }

        private void push(int bytes) {
            if (!current.polymorphic()) {
                operands.add(bytes);
                size += bytes;
                max = Math.max(max, size);
            }
        }

        private void push(ValType type) {
            push(size(type));
        }

        private void pop() {
            popMany(1);
        }

        private void popMany(int count) {
            if (count == 0 || current.polymorphic()) {
                return;
            }
            if (count > operands.size()) {
                throw new IllegalArgumentException("operand stack underflow in stack analysis");
            }
            for (int i = 0; i < count; i++) {
                size -= operands.remove(operands.size() - 1);
            }
        }

        private void polymorphic() {
            current = new Frame(current.height(), current.blockType(), true);
        }

        private List<ValType> blockParams(long blockType) {
            if (blockType == EMPTY_BLOCK || ValType.isValid(blockType)) {
                return List.of();
            }
            return types.type(blockType).params();
        }

        /** Sizes of a block's results. */
        private List<Integer> blockResults(long blockType) {
            if (blockType == EMPTY_BLOCK) {
                return List.of();
            }
            if (ValType.isValid(blockType)) {
                return List.of(sizeOfId(blockType));
            }
            return types.type(blockType).returns().stream()
                    .map(StackAnalysis::size)
                    .toList();
        }

        private void newFrame(long blockType, int shiftedOperands) {
            int height = operands.size() - shiftedOperands;
            if (height < 0) {
                throw new IllegalArgumentException("block parameters missing from the operand stack");
            }
            frames.add(current);
            current = new Frame(height, blockType, current.polymorphic());
        }

        /** Ends the current frame (null at the function's end), popping what it left on the stack. */
        private Frame endFrame() {
            if (frames.isEmpty()) {
                return null;
            }
            Frame ended = current;
            current = frames.remove(frames.size() - 1);
            popMany(operands.size() - ended.height());
            return ended;
        }

        private void call(FunctionType type) {
            popMany(type.params().size());
            for (ValType result : type.returns()) {
                push(result);
            }
        }

        private void visit(Instruction instruction) {
            OpCode op = instruction.opcode();
            int code = op.opcode();
            switch (op) {
                case UNREACHABLE, BR, BR_TABLE, RETURN, RETURN_CALL, RETURN_CALL_INDIRECT, RETURN_CALL_REF ->
                    polymorphic();
                case NOP, DATA_DROP, ELEM_DROP, LOCAL_TEE, MEMORY_GROW, REF_AS_NON_NULL, BR_ON_NULL -> {}
                case BLOCK, LOOP -> {
                    long blockType = instruction.operand(0);
                    newFrame(blockType, blockParams(blockType).size());
                }
                case IF -> {
                    pop();
                    long blockType = instruction.operand(0);
                    newFrame(blockType, blockParams(blockType).size());
                }
                case ELSE -> {
                    Frame ended = endFrame();
                    if (ended == null) {
                        throw new IllegalArgumentException("else outside a block");
                    }
                    newFrame(ended.blockType(), 0);
                    for (ValType param : blockParams(ended.blockType())) {
                        push(param);
                    }
                }
                case END -> {
                    Frame ended = endFrame();
                    if (ended != null) {
                        blockResults(ended.blockType()).forEach(this::push);
                    }
                }
                case BR_IF, DROP, LOCAL_SET, GLOBAL_SET, BR_ON_NON_NULL -> pop();
                case CALL -> call(types.functions().get((int) instruction.operand(0)));
                case CALL_INDIRECT, CALL_REF -> call(types.type(instruction.operand(0)));
                case SELECT, SELECT_T -> popMany(2);
                case LOCAL_GET -> push(locals.get((int) instruction.operand(0)));
                case GLOBAL_GET -> push(types.globals().get((int) instruction.operand(0)));
                case TABLE_GET -> {
                    pop();
                    push(types.tables().get((int) instruction.operand(0)));
                }
                case TABLE_SET -> popMany(2);
                case MEMORY_SIZE, TABLE_SIZE, I32_CONST, F32_CONST -> push(4);
                case I64_CONST, F64_CONST, REF_NULL, REF_FUNC -> push(8);
                case MEMORY_INIT, MEMORY_COPY, MEMORY_FILL, TABLE_INIT, TABLE_COPY, TABLE_FILL -> popMany(3);
                case TABLE_GROW -> {
                    popMany(2);
                    push(4);
                }
                case REF_IS_NULL, I32_EQZ, I64_EQZ -> {
                    pop();
                    push(4);
                }
                case REF_EQ -> {
                    popMany(2);
                    push(4);
                }
                default -> visitNumeric(op, code);
            }
        }

        /** Loads, stores, comparisons, arithmetic and conversions, by opcode range. */
        private void visitNumeric(OpCode op, int code) {
            if (code >= 0x28 && code <= 0x35) { // loads: [i32] -> [t]
                pop();
                push(code == 0x29 || code == 0x2B || code >= 0x30 ? 8 : 4);
            } else if (code >= 0x36 && code <= 0x3E) { // stores: [i32 t] -> []
                popMany(2);
            } else if ((code >= 0x46 && code <= 0x4F) || (code >= 0x51 && code <= 0x66)) { // relops
                popMany(2);
                push(4);
            } else if (isUnary(code)) {
                // [t] -> [t]: no change
            } else if (isBinary(code)) {
                pop();
            } else if (code >= 0xA7 && code <= 0xBF) { // conversions: [t1] -> [t2]
                pop();
                push(conversionResultBytes(code));
            } else if (code >= 0xFC00 && code <= 0xFC07) { // saturating truncations
                pop();
                push(code <= 0xFC03 ? 4 : 8);
            } else {
                throw new IllegalArgumentException("instruction " + op + " is not allowed in NEAR contracts");
            }
        }

        private static boolean isUnary(int code) {
            return (code >= 0x67 && code <= 0x69) // i32 clz ctz popcnt
                    || (code >= 0x79 && code <= 0x7B) // i64 clz ctz popcnt
                    || (code >= 0x8B && code <= 0x91) // f32 abs .. sqrt
                    || (code >= 0x99 && code <= 0x9F) // f64 abs .. sqrt
                    || (code >= 0xC0 && code <= 0xC4); // sign extension
        }

        private static boolean isBinary(int code) {
            return (code >= 0x6A && code <= 0x78)
                    || (code >= 0x7C && code <= 0x8A)
                    || (code >= 0x92 && code <= 0x98)
                    || (code >= 0xA0 && code <= 0xA6);
        }

        private static int conversionResultBytes(int code) {
            if (code <= 0xAB || code == 0xBC) {
                return 4; // i32.wrap, i32.trunc, i32.reinterpret
            }
            if (code <= 0xB1 || code == 0xBD) {
                return 8; // i64.extend, i64.trunc, i64.reinterpret
            }
            if (code <= 0xB6 || code == 0xBE) {
                return 4; // f32.convert, f32.demote, f32.reinterpret
            }
            return 8; // f64.convert, f64.promote, f64.reinterpret
        }
    }
}
