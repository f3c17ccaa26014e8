package dev.outlayer.bench.targetsystem.contracts;

import com.dylibso.chicory.runtime.ImportValue;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.wasm.WasmModule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The module and name of every import of a wasm module, to pick the host values it links against. */
final class ModuleImports {
    private final Set<String> names;

    private ModuleImports(Set<String> names) {
        this.names = names;
    }

    static ModuleImports of(WasmModule module) {
        var section = module.importSection();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < section.importCount(); i++) {
            var imported = section.getImport(i);
            names.add(key(imported.module(), imported.name()));
        }
        return new ModuleImports(names);
    }

    /** The values of {@code host} (of every kind) that an import names, in {@code host}'s order. */
    ImportValues select(ImportValues host) {
        return ImportValues.builder()
                .withFunctions(named(host.functions()))
                .withGlobals(named(host.globals()))
                .withMemories(named(host.memories()))
                .withTables(named(host.tables()))
                .withTags(named(host.tags()))
                .build();
    }

    private <T extends ImportValue> List<T> named(T[] values) {
        List<T> kept = new ArrayList<>();
        for (T value : values) {
            if (names.contains(key(value.module(), value.name()))) {
                kept.add(value);
            }
        }
        return kept;
    }

    private static String key(String module, String name) {
        return module + '\0' + name;
    }
}
