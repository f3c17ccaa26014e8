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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.function.IntConsumer;

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
    private final WasmModule original;
    private final List<Global> addedGlobals;
    private final CodeWriter code;
    private final int[] bodyBounds;
    private final List<ValType> addedLocals;
    private final int codeStart;
    private final String digest;

    /**
     * @param original       the parsed original module (validated before {@link #build})
     * @param addedGlobals   the globals the instrumenter appends, in order
     * @param code           the recorded instructions of every instrumented body
     * @param bodyBounds     instruction index where each body starts, plus the total at the end
     * @param addedLocals    the locals the instrumenter appends to every body
     * @param codeStart      where the code section's contents start in the instrumented bytes
     * @param digest         the digest Chicory's parser gives the instrumented bytes
     */
    InstrumentedModule(
            WasmModule original,
            List<Global> addedGlobals,
            CodeWriter code,
            int[] bodyBounds,
            List<ValType> addedLocals,
            int codeStart,
            String digest) {
        this.original = original;
        this.addedGlobals = addedGlobals;
        this.code = code;
        this.bodyBounds = bodyBounds;
        this.addedLocals = addedLocals;
        this.codeStart = codeStart;
        this.digest = digest;
    }

    /** Opcodes whose labels this pass does not compute (exception handling, GC casts): parse the bytes instead. */
    static boolean supported(OpCode op) {
        return switch (op) {
            case TRY_TABLE, BR_ON_CAST, BR_ON_CAST_FAIL -> false;
            default -> true;
        };
    }

    /**
     * The module, once the original has been validated (validation completes operands the copy
     * takes). The bodies are independent: {@code helper} builds the second half of them while
     * this thread builds the first (or this thread builds both if the helper has not started).
     */
    public WasmModule build(Executor helper) {
        int functions = bodyBounds.length - 1;
        FunctionBody[] bodies = new FunctionBody[functions];
        int half = bodyBounds[functions] / 2;
        int split = 0;
        while (split < functions && bodyBounds[split] < half) {
            split++;
        }
        int mid = split;
        FutureTask<Void> second = new FutureTask<>(() -> {
            buildBodies(mid, functions, bodies);
            return null;
        });
        helper.execute(second);
        buildBodies(0, mid, bodies);
        second.run(); // does nothing if the helper has started it
        try {
            second.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the instrumented module", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error; // out of memory is not an invalid module
            }
            throw new IllegalStateException(e.getCause());
        }
        GlobalSection.Builder globals = GlobalSection.builder();
        for (Global global : original.globalSection().globals()) {
            globals.addGlobal(global);
        }
        addedGlobals.forEach(globals::addGlobal);
        CodeSection.Builder codeSection = CodeSection.builder();
        codeSection.setRequiresDataCount(original.codeSection().isRequiresDataCount());
        for (FunctionBody body : bodies) {
            codeSection.addFunctionBody(body);
        }
        // The start section stays out, as in the bytes.
        return copy(original, globals.build(), codeSection.build())
                .withDigest(digest)
                .withValidation(false)
                .build();
    }

    private void buildBodies(int from, int to, FunctionBody[] into) {
        FunctionBody[] originalBodies = original.codeSection().functionBodies();
        for (int f = from; f < to; f++) {
            List<ValType> locals =
                    new ArrayList<>(originalBodies[f].localTypes().size() + addedLocals.size());
            locals.addAll(originalBodies[f].localTypes());
            locals.addAll(addedLocals);
            Instruction[] instructions = new Instruction[bodyBounds[f + 1] - bodyBounds[f]];
            for (int i = 0; i < instructions.length; i++) {
                instructions[i] = code.instruction(bodyBounds[f] + i, codeStart);
            }
            into[f] = new FunctionBody(locals, annotate(instructions));
        }
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
        WasmModule.Builder copy = copy(module, module.globalSection(), module.codeSection())
                .withDigest(module.digest())
                .withValidation(true);
        module.startSection().ifPresent(copy::setStartSection);
        copy.build();
    }

    /** A builder holding {@code from}'s sections but its start section, with these globals and code. */
    static WasmModule.Builder copy(WasmModule from, GlobalSection globals, CodeSection code) {
        WasmModule.Builder to = WasmModule.builder()
                .setTypeSection(from.typeSection())
                .setImportSection(from.importSection())
                .setFunctionSection(from.functionSection())
                .setTableSection(from.tableSection())
                .setGlobalSection(globals)
                .setExportSection(from.exportSection())
                .setElementSection(from.elementSection())
                .setCodeSection(code)
                .setDataSection(from.dataSection());
        from.memorySection().ifPresent(to::setMemorySection);
        from.dataCountSection().ifPresent(to::setDataCountSection);
        from.tagSection().ifPresent(to::setTagSection);
        for (CustomSection custom : from.customSections()) {
            to.addCustomSection(custom.name(), custom);
        }
        from.ignoredSections().forEach(to::addIgnoredSection);
        return to;
    }

    /** An open block, loop or if (or the function itself) while the body is walked. */
    private static final class Frame {
        final Frame parent;
        final AnnotatedInstruction.Builder opener;
        final int index;
        /** Branches (and the else, and the if) waiting for this frame's label: run at its end. */
        final List<IntConsumer> resolve = new ArrayList<>(2);

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
