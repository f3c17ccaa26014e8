package dev.outlayer.bench.targetsystem.contracts;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.OpCode;
import dev.outlayer.bench.targetsystem.wasm.Leb128;

/**
 * The per-contract limits of nearcore's preparation for the pinned protocol, each failing the deploy
 * with nearcore's {@code PrepareError} name. {@link #check(byte[])} is prepare_v3.rs's early pass,
 * read from the module's sections in nearcore's order and before the module is validated, as
 * nearcore counts them while it parses: the type section's entries against
 * {@code max_types_per_contract}, function imports and then the code section's functions
 * against {@code max_functions_number_per_contract}, the table section's tables against
 * {@code max_tables_per_contract} and each table's initial size against
 * {@code max_elements_per_contract_table}, each function body's size against
 * {@code max_function_body_size} (protocol 84 on), and the declared locals of all bodies (not the
 * parameters) against {@code max_locals_per_contract}. Bytes that are not well-formed end the scan:
 * the module's parse then reports them. {@link #checkInstrumentation(WasmModule)} is what
 * instrument_v3.rs checks per defined function of the parsed module, in code order: the function
 * type's parameters against {@code max_params_per_function} and, summed, against
 * {@code max_params_per_contract}; its {@code block}, {@code loop} and {@code if} against
 * {@code max_blocks_per_function} and, summed, against {@code max_blocks_per_contract}.
 */
final class PrepareLimits {
    private static final int TYPE_SECTION = 1;
    private static final int IMPORT_SECTION = 2;
    private static final int TABLE_SECTION = 4;
    private static final int CODE_SECTION = 10;
    private static final int FUNCTION_IMPORT = 0;
    private static final int TABLE_IMPORT = 1;
    private static final int MEMORY_IMPORT = 2;
    private static final int GLOBAL_IMPORT = 3;

    private final byte[] code;
    private final int[] pos = {8}; // after the magic and version
    private long functions = ExtCost.MAX_FUNCTIONS_NUMBER_PER_CONTRACT;
    private long locals = ExtCost.MAX_LOCALS_PER_CONTRACT;
    /** Where the section being read ends: reading past it means the bytes are not well-formed. */
    private int sectionEnd;

    private PrepareLimits(byte[] code) {
        this.code = code;
    }

    static void check(byte[] code) {
        if (code.length < 8 || code[0] != 0 || code[1] != 'a' || code[2] != 's' || code[3] != 'm') {
            return; // not a module: the parse says so
        }
        try {
            new PrepareLimits(code).scan();
        } catch (IllegalArgumentException | IndexOutOfBoundsException | ArithmeticException malformed) {
            // not well-formed: the parse that follows says where
        }
    }

    private void scan() {
        while (pos[0] < code.length) {
            int id = code[pos[0]++] & 0xFF;
            long size = u32();
            int end = Math.toIntExact(pos[0] + size);
            sectionEnd = Math.min(end, code.length);
            switch (id) {
                case TYPE_SECTION -> types();
                case IMPORT_SECTION -> imports();
                case TABLE_SECTION -> tables();
                case CODE_SECTION -> bodies();
                default -> {}
            }
            pos[0] = end;
        }
    }

    /** nearcore validates the section, then counts its entries: a malformed entry is not a limit. */
    private void types() {
        long count = u32();
        for (long i = 0; i < count; i++) {
            if (code[pos[0]++] != 0x60) {
                throw new IllegalArgumentException("not a function type");
            }
            skipBytes(u32()); // parameter types, one byte each
            long results = u32();
            skipBytes(results);
            if (results > 1 && pos[0] <= sectionEnd) {
                // nearcore's validator (features.rs at 86: multi-value off) refuses the section.
                throw refused(
                        "Deserialization",
                        "type " + i + " returns " + results + " values; multi-value is not enabled in NEAR contracts");
            }
        }
        if (pos[0] > sectionEnd) {
            throw new IllegalArgumentException("type section past its end");
        }
        if (count > ExtCost.MAX_TYPES_PER_CONTRACT) {
            throw refused("TooManyTypes", count + " types exceed " + ExtCost.MAX_TYPES_PER_CONTRACT);
        }
    }

    /**
     * The wasm proposals nearcore's validating parser enables at the pinned protocol (features.rs,
     * prepare_v3.rs; 84.yaml's {@code reftypes_bulk_memory}): the MVP, mutable globals,
     * sign-extension, saturating float-to-int, bulk memory and reference types. A module using any
     * other (multi-value block types, tail calls, exceptions, typed function references, GC, SIMD,
     * threads, multi-memory, extended constant expressions) does not validate there:
     * {@code PrepareError::Deserialization}. Multi-value function types are refused by
     * {@link #check(byte[])}, in the type section, where nearcore's validator meets them.
     */
    static void checkFeatures(WasmModule module) {
        if (module.tagSection().isPresent()) {
            throw refused("Deserialization", "a tag section (exceptions are not enabled in NEAR contracts)");
        }
        var memories = module.memorySection();
        if (memories.isPresent()) {
            if (memories.get().memoryCount() > 1) {
                throw refused(
                        "Deserialization", "more than one memory (multi-memory is not enabled in NEAR contracts)");
            }
            if (memories.get().memoryCount() == 1
                    && memories.get().getMemory(0).limits().shared()) {
                throw refused("Deserialization", "a shared memory (threads are not enabled in NEAR contracts)");
            }
        }
        int importedGlobals = module.importSection().count(com.dylibso.chicory.wasm.types.ExternalType.GLOBAL);
        for (var global : module.globalSection().globals()) {
            constantExpression(global.initInstructions(), importedGlobals, "a global's initializer");
        }
        for (var segment : module.dataSection().dataSegments()) {
            if (segment instanceof com.dylibso.chicory.wasm.types.ActiveDataSegment active) {
                constantExpression(active.offsetInstructions(), importedGlobals, "a data segment's offset");
            }
        }
        for (var element : module.elementSection().elements()) {
            if (element instanceof com.dylibso.chicory.wasm.types.ActiveElement active) {
                constantExpression(active.offset(), importedGlobals, "an element segment's offset");
            }
            for (var initializer : element.initializers()) {
                constantExpression(initializer, importedGlobals, "an element segment's initializer");
            }
        }
        var bodies = module.codeSection().functionBodies();
        for (int f = 0; f < bodies.length; f++) {
            for (var instruction : bodies[f].instructions()) {
                OpCode op = instruction.opcode();
                if (!enabledInstruction(op.opcode())) {
                    throw refused(
                            "Deserialization",
                            "function " + f + " uses " + op + ", outside the wasm features nearcore enables");
                }
                if ((op == OpCode.BLOCK || op == OpCode.LOOP || op == OpCode.IF)
                        && instruction.operand(0) != EMPTY_BLOCK_TYPE
                        && !com.dylibso.chicory.wasm.types.ValType.isValid(instruction.operand(0))) {
                    throw refused(
                            "Deserialization",
                            "function " + f + " has a " + op
                                    + " typed by a type index; multi-value is not enabled in NEAR contracts");
                }
            }
        }
    }

    /** The block type of a block that takes and returns nothing (0x40), as Chicory keeps it. */
    private static final long EMPTY_BLOCK_TYPE = 0x40;

    /**
     * MVP, sign-extension (0xC0-0xC4), saturating truncations (0xFC00-0xFC07), bulk memory and
     * reference types (select with types, table.get/set, ref.null/is_null/func, 0xFC08-0xFC11);
     * not try/catch/throw (0x06-0x0A, 0x18, 0x19, 0x1F), return_call and call_ref (0x12-0x15),
     * ref.eq and the typed-reference branches (0xD3-0xD6), GC (0xFB), SIMD (0xFD), atomics (0xFE).
     */
    private static boolean enabledInstruction(int opcode) {
        return (opcode >= 0x00 && opcode <= 0x05)
                || (opcode >= 0x0B && opcode <= 0x11)
                || (opcode >= 0x1A && opcode <= 0x1C)
                || (opcode >= 0x20 && opcode <= 0x26)
                || (opcode >= 0x28 && opcode <= 0xC4)
                || (opcode >= 0xD0 && opcode <= 0xD2)
                || (opcode >= 0xFC00 && opcode <= 0xFC11);
    }

    /**
     * Constant expressions of the MVP and reference types only (extended-const is not enabled), and a
     * {@code global.get} only of an imported global, as wasmparser validates them without GC ("constant
     * expression required: global.get of locally defined global"). A contract can import no global (an
     * import other than a host function is refused on its own), so in NEAR no constant reads one.
     */
    private static void constantExpression(
            java.util.List<com.dylibso.chicory.wasm.types.Instruction> code, int importedGlobals, String what) {
        for (var instruction : code) {
            switch (instruction.opcode()) {
                case GLOBAL_GET -> {
                    if (instruction.operand(0) >= importedGlobals) {
                        throw refused(
                                "Deserialization",
                                what + " reads global " + instruction.operand(0)
                                        + " (constant expression required: global.get of locally defined global)");
                    }
                }
                case I32_CONST, I64_CONST, F32_CONST, F64_CONST, REF_NULL, REF_FUNC, END -> {}
                default ->
                    throw refused(
                            "Deserialization",
                            what + " uses " + instruction.opcode()
                                    + " (extended constant expressions are not enabled in NEAR contracts)");
            }
        }
    }

    /** instrument_v3.rs's per-function limits on the parsed module. */
    static void checkInstrumentation(WasmModule module) {
        long params = ExtCost.MAX_PARAMS_PER_CONTRACT;
        long blocks = ExtCost.MAX_BLOCKS_PER_CONTRACT;
        var bodies = module.codeSection().functionBodies();
        for (int f = 0; f < bodies.length; f++) {
            int count = module.typeSection()
                    .getType(module.functionSection().getFunctionType(f))
                    .params()
                    .size();
            if (count > ExtCost.MAX_PARAMS_PER_FUNCTION) {
                throw refused(
                        "TooManyParamsPerFunction",
                        "function " + f + " has " + count + " parameters; the limit is "
                                + ExtCost.MAX_PARAMS_PER_FUNCTION);
            }
            params -= count;
            if (params < 0) {
                throw refused(
                        "TooManyParamsPerContract",
                        "more than " + ExtCost.MAX_PARAMS_PER_CONTRACT + " parameters in the contract's functions");
            }
            long functionBlocks = 0;
            for (var instruction : bodies[f].instructions()) {
                OpCode op = instruction.opcode();
                if (op == OpCode.BLOCK || op == OpCode.LOOP || op == OpCode.IF) {
                    functionBlocks++;
                }
            }
            if (functionBlocks > ExtCost.MAX_BLOCKS_PER_FUNCTION) {
                throw refused(
                        "TooManyBlocksPerFunction",
                        "function " + f + " has " + functionBlocks + " blocks; the limit is "
                                + ExtCost.MAX_BLOCKS_PER_FUNCTION);
            }
            blocks -= functionBlocks;
            if (blocks < 0) {
                throw refused(
                        "TooManyBlocksPerContract",
                        "more than " + ExtCost.MAX_BLOCKS_PER_CONTRACT + " blocks in the contract");
            }
        }
    }

    /** Validated whole first, then each function import counts against the function limit. */
    private void imports() {
        long functionImports = 0;
        for (long i = u32(); i > 0; i--) {
            skipName();
            skipName();
            int kind = code[pos[0]++] & 0xFF;
            switch (kind) {
                case FUNCTION_IMPORT -> {
                    u32();
                    functionImports++;
                }
                case TABLE_IMPORT -> {
                    pos[0]++; // reference type
                    limits();
                }
                case MEMORY_IMPORT -> limits();
                case GLOBAL_IMPORT -> pos[0] += 2; // value type, mutability
                default -> throw new IllegalArgumentException("import kind " + kind);
            }
        }
        if (pos[0] > sectionEnd) {
            throw new IllegalArgumentException("import section past its end");
        }
        spendFunctions(functionImports);
    }

    /** Validated whole first (as nearcore), then the table count, then each table's initial size. */
    private void tables() {
        long count = u32();
        long[] initial = new long[(int) Math.min(count, 1_000)];
        for (long i = 0; i < count; i++) {
            pos[0]++; // reference type
            long min = limits();
            if (i < initial.length) {
                initial[(int) i] = min;
            }
        }
        if (pos[0] > sectionEnd) {
            throw new IllegalArgumentException("table section past its end");
        }
        if (count > ExtCost.MAX_TABLES_PER_CONTRACT) {
            throw refused("TooManyTables", count + " tables exceed " + ExtCost.MAX_TABLES_PER_CONTRACT);
        }
        for (long min : initial) {
            if (min > ExtCost.MAX_ELEMENTS_PER_CONTRACT_TABLE) {
                throw refused(
                        "TooManyTableElements", min + " elements exceed " + ExtCost.MAX_ELEMENTS_PER_CONTRACT_TABLE);
            }
        }
    }

    private void bodies() {
        long count = u32();
        spendFunctions(count);
        for (long i = count; i > 0; i--) {
            long size = u32();
            int end = Math.toIntExact(pos[0] + size);
            if (end > sectionEnd) {
                throw new IllegalArgumentException("function body past the code section");
            }
            if (size > ExtCost.MAX_FUNCTION_BODY_SIZE) {
                throw refused(
                        "FunctionBodyTooLarge",
                        "a function body of " + size + " bytes exceeds " + ExtCost.MAX_FUNCTION_BODY_SIZE);
            }
            for (long group = u32(); group > 0; group--) {
                locals -= u32();
                if (locals < 0) {
                    throw refused(
                            "TooManyLocals",
                            "more than " + ExtCost.MAX_LOCALS_PER_CONTRACT + " locals in the contract");
                }
                pos[0]++; // value type
                if (pos[0] > end) {
                    throw new IllegalArgumentException("locals past the function body");
                }
            }
            pos[0] = end;
        }
    }

    private void spendFunctions(long count) {
        functions -= count;
        if (functions < 0) {
            long declared = ExtCost.MAX_FUNCTIONS_NUMBER_PER_CONTRACT - functions;
            throw refused(
                    "TooManyFunctions", declared + " functions exceed " + ExtCost.MAX_FUNCTIONS_NUMBER_PER_CONTRACT);
        }
    }

    /** A limits pair: its minimum (the initial size); the maximum is skipped. */
    private long limits() {
        int flags = code[pos[0]++] & 0xFF;
        long initial = u32();
        if ((flags & 1) != 0) {
            u32();
        }
        return initial;
    }

    private void skipName() {
        skipBytes(u32());
    }

    private void skipBytes(long length) {
        pos[0] = Math.toIntExact(pos[0] + length);
    }

    private long u32() {
        return Leb128.readUnsigned(code, pos);
    }

    private static InvalidContractException refused(String prepareError, String detail) {
        return new InvalidContractException(prepareError + ": " + detail);
    }
}
