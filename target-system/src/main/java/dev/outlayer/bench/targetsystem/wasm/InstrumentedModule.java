package dev.outlayer.bench.targetsystem.wasm;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.AnnotatedInstruction;
import com.dylibso.chicory.wasm.types.CodeSection;
import com.dylibso.chicory.wasm.types.CustomSection;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.Global;
import com.dylibso.chicory.wasm.types.GlobalSection;
import com.dylibso.chicory.wasm.types.Instruction;
import com.dylibso.chicory.wasm.types.MutabilityType;
import com.dylibso.chicory.wasm.types.OpCode;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The instrumented module as Chicory's {@code Parser} would build it from the instrumented bytes,
 * built from the original module and the instructions {@link CodeWriter} recorded, without a second
 * parse. Every section but the globals and the code is the original's (the start section is left
 * out, as in the bytes). Function bodies get what the parser's control-flow pass gives each
 * instruction (Chicory 1.7.5, {@code Parser.parseCodeSection}): nesting depth, the scope of
 * {@code block}/{@code loop}/{@code if}/{@code end}, and branch targets as instruction indices: a
 * block's or if's label is its {@code end}, a loop's is the instruction after the {@code loop}.
 * {@code InstrumentedModuleTest} checks the result against the parser's, field by field.
 *
 * <p>Addresses of function-body instructions are their offsets in the instrumented bytes, as the
 * parser's (Chicory's compiler orders branches by them); constant expressions of the original
 * sections keep the original's addresses, which nothing reads.
 */
public final class InstrumentedModule {
    private InstrumentedModule() {}

    /** Opcodes whose labels this pass does not compute (exception handling, GC casts): parse the bytes instead. */
    static boolean supported(OpCode op) {
        return switch (op) {
            case TRY_TABLE, BR_ON_CAST, BR_ON_CAST_FAIL -> false;
            default -> true;
        };
    }

    /**
     * @param original       the parsed (and validated) original module
     * @param addedGlobals   the globals the instrumenter appends, in order
     * @param code           the recorded instructions of every instrumented body
     * @param bodyBounds     instruction index where each body starts, plus the total at the end
     * @param addedLocals    the locals the instrumenter appends to every body
     * @param codeStart      where the code section's contents start in the instrumented bytes
     * @param digest         the digest Chicory's parser gives the instrumented bytes
     */
    static WasmModule build(
            WasmModule original,
            List<Global> addedGlobals,
            CodeWriter code,
            int[] bodyBounds,
            List<ValType> addedLocals,
            int codeStart,
            String digest) {
        GlobalSection.Builder globals = GlobalSection.builder();
        for (Global global : original.globalSection().globals()) {
            globals.addGlobal(global);
        }
        addedGlobals.forEach(globals::addGlobal);
        FunctionBody[] originalBodies = original.codeSection().functionBodies();
        CodeSection.Builder bodies = CodeSection.builder();
        bodies.setRequiresDataCount(original.codeSection().isRequiresDataCount());
        for (int f = 0; f < originalBodies.length; f++) {
            List<ValType> locals =
                    new ArrayList<>(originalBodies[f].localTypes().size() + addedLocals.size());
            locals.addAll(originalBodies[f].localTypes());
            locals.addAll(addedLocals);
            Instruction[] instructions = new Instruction[bodyBounds[f + 1] - bodyBounds[f]];
            for (int i = 0; i < instructions.length; i++) {
                instructions[i] = code.instruction(bodyBounds[f] + i, codeStart);
            }
            bodies.addFunctionBody(new FunctionBody(locals, annotate(instructions)));
        }
        WasmModule.Builder module = WasmModule.builder()
                .setTypeSection(original.typeSection())
                .setImportSection(original.importSection())
                .setFunctionSection(original.functionSection())
                .setTableSection(original.tableSection())
                .setGlobalSection(globals.build())
                .setExportSection(original.exportSection())
                .setElementSection(original.elementSection())
                .setCodeSection(bodies.build())
                .setDataSection(original.dataSection())
                .withDigest(digest)
                .withValidation(false);
        copyRest(original, module);
        return module.build();
    }

    /** The global {@code (mut i64)} initialised to {@code value}, its constant at {@code address}. */
    static Global mutableI64(long value, int address) {
        // The parser keeps the constant expression without its end.
        return new Global(
                ValType.I64, MutabilityType.Var, List.of(new Instruction(address, OpCode.I64_CONST, new long[] {value
                })));
    }

    /**
     * Runs Chicory's validation on {@code module} (as {@code Parser.parse} with validation does on
     * bytes); throws its InvalidException. Validation also completes a few operands that the
     * machines read (the value type of {@code drop}/{@code select} of a v128).
     */
    public static void validate(WasmModule module) {
        WasmModule.Builder copy = WasmModule.builder()
                .setTypeSection(module.typeSection())
                .setImportSection(module.importSection())
                .setFunctionSection(module.functionSection())
                .setTableSection(module.tableSection())
                .setGlobalSection(module.globalSection())
                .setExportSection(module.exportSection())
                .setElementSection(module.elementSection())
                .setCodeSection(module.codeSection())
                .setDataSection(module.dataSection())
                .withDigest(module.digest())
                .withValidation(true);
        module.startSection().ifPresent(copy::setStartSection);
        copyRest(module, copy);
        copy.build();
    }

    private static void copyRest(WasmModule from, WasmModule.Builder to) {
        from.memorySection().ifPresent(to::setMemorySection);
        from.dataCountSection().ifPresent(to::setDataCountSection);
        from.tagSection().ifPresent(to::setTagSection);
        for (CustomSection custom : from.customSections()) {
            to.addCustomSection(custom.name(), custom);
        }
        from.ignoredSections().forEach(to::addIgnoredSection);
    }

    /** An open block, loop or if (or the function itself) while the body is walked. */
    private static final class Frame {
        final Frame parent;
        final AnnotatedInstruction.Builder opener;
        final int index;
        /** Branches (and the else, and the if) waiting for this frame's label: run at its end. */
        final List<java.util.function.IntConsumer> resolve = new ArrayList<>(2);

        Frame(Frame parent, AnnotatedInstruction.Builder opener, int index) {
            this.parent = parent;
            this.opener = opener;
            this.index = index;
        }
    }

    /** Depth, scope and labels of one body, as the parser's control-flow pass assigns them. */
    static List<AnnotatedInstruction> annotate(Instruction[] body) {
        AnnotatedInstruction.Builder[] built = new AnnotatedInstruction.Builder[body.length];
        Instruction[] scopes = new Instruction[body.length];
        int open = 0;
        int depth = 0;
        Frame frame = null;
        for (int i = 0; i < body.length; i++) {
            Instruction instruction = body[i];
            OpCode op = instruction.opcode();
            AnnotatedInstruction.Builder b = AnnotatedInstruction.builder().from(instruction);
            built[i] = b;
            if (i == 0) {
                frame = new Frame(null, b, 0);
            }
            switch (op) {
                case BLOCK, LOOP, IF -> {
                    b.withDepth(++depth);
                    scopes[open++] = instruction;
                    b.withScope(instruction);
                }
                case END -> {
                    b.withDepth(depth--);
                    b.withScope(open == 0 ? instruction : scopes[--open]);
                }
                default -> b.withDepth(depth);
            }
            switch (op) {
                case BLOCK, LOOP -> frame = new Frame(frame, b, i);
                case IF -> {
                    frame = new Frame(frame, b, i);
                    b.withLabelTrue(i + 1).withLabelFalse(i + 1);
                    frame.resolve.add(b::updateLabelFalse);
                }
                case ELSE -> {
                    frame.opener.withLabelFalse(i + 1);
                    frame.resolve.add(b::withLabelTrue);
                }
                case BR_IF, BR_ON_NULL, BR_ON_NON_NULL -> {
                    b.withLabelFalse(i + 1);
                    target(frame, instruction.operand(0)).resolve.add(b::withLabelTrue);
                }
                case BR -> target(frame, instruction.operand(0)).resolve.add(b::withLabelTrue);
                case BR_TABLE -> {
                    // Filled in as the targets end, as the parser fills its list.
                    List<Integer> labels = new ArrayList<>(Collections.nCopies(instruction.operandCount(), null));
                    for (int t = 0; t < instruction.operandCount(); t++) {
                        int slot = t;
                        target(frame, instruction.operand(t)).resolve.add(end -> labels.set(slot, end));
                    }
                    b.withLabelTable(labels);
                }
                case END -> {
                    boolean closesLoop = b.scope().orElseThrow().opcode() == OpCode.LOOP;
                    int label = closesLoop ? frame.index + 1 : i;
                    for (var waiting : frame.resolve) {
                        waiting.accept(label);
                    }
                    frame = frame.parent;
                    if (i == body.length - 1 && i > 1 && body[i - 1].opcode() == OpCode.END) {
                        b.withScope(built[i - 1].scope().orElseThrow());
                    }
                }
                default -> {}
            }
        }
        List<AnnotatedInstruction> result = new ArrayList<>(body.length);
        for (AnnotatedInstruction.Builder b : built) {
            result.add(b.build());
        }
        return result;
    }

    private static Frame target(Frame frame, long depth) {
        Frame target = frame;
        for (long d = depth; d > 0; d--) {
            target = target.parent;
        }
        return target;
    }
}
