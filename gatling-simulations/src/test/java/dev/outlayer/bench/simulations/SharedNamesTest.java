package dev.outlayer.bench.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.results.names.Measured;
import dev.outlayer.bench.results.names.RequestName;
import dev.outlayer.bench.results.names.SeriesName;
import dev.outlayer.bench.results.names.SimulationName;
import dev.outlayer.bench.results.names.ValueName;
import io.gatling.javaapi.core.Simulation;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The report site finds its numbers by the names in bench-results ({@link Measured}); the compiler checks that
 * both sides spell them alike. What it cannot see, this test does: that every simulation those names point at
 * is a class here (a renamed simulation class), and that each simulation still records under each of its
 * names, i.e. its class files refer to the constant (a request renamed by writing another string in its place).
 */
class SharedNamesTest {
    private static final Path SIMULATIONS = classesOf(SharedNamesTest.class);

    @Test
    void theSimulationsNamedInTheResultsAreTheClassesOfThisModule() throws IOException {
        Set<String> classes = new HashSet<>();
        try (Stream<Path> files = Files.list(SIMULATIONS)) {
            files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith("Simulation.class"))
                    .forEach(name -> classes.add(name.substring(0, name.length() - ".class".length())));
        }
        Set<String> named = new HashSet<>();
        for (SimulationName simulation : SimulationName.values()) {
            named.add(simulation.className());
            assertThat(Simulation.class).isAssignableFrom(simulation(simulation));
        }
        assertThat(classes).as("simulation classes of %s", SIMULATIONS).isEqualTo(named);
    }

    @Test
    void eachSimulationRecordsUnderEveryNameTheReportsRead() throws Exception {
        for (Class<?> names : Measured.class.getDeclaredClasses()) {
            for (Field field : names.getDeclaredFields()) {
                SimulationName simulation = simulationOf(field);
                if (simulation == null) {
                    continue; // a list of names checked one by one
                }
                assertThat(fieldsReadBy(simulation))
                        .as(
                                "%s must record under %s.%s",
                                simulation.className(), names.getSimpleName(), field.getName())
                        .contains(names.getName().replace('.', '/') + "." + field.getName());
            }
        }
    }

    private static SimulationName simulationOf(Field field) throws IllegalAccessException {
        if (!Modifier.isStatic(field.getModifiers())) {
            return null;
        }
        Object value = field.get(null);
        if (value instanceof RequestName name) {
            return name.simulation();
        } else if (value instanceof ValueName name) {
            return name.simulation();
        } else if (value instanceof SeriesName name) {
            return name.simulation();
        }
        return null;
    }

    private static Class<?> simulation(SimulationName name) {
        try {
            // Not initialised: a simulation's static fields would start the target system.
            return Class.forName(
                    SharedNamesTest.class.getPackageName() + "." + name.className(),
                    false,
                    SharedNamesTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name + " names no simulation class: " + e.getMessage());
        }
    }

    /** The static fields the simulation's class files (its nested classes' included) read, as owner/Class.FIELD. */
    private static Set<String> fieldsReadBy(SimulationName name) throws IOException {
        Set<String> fields = new HashSet<>();
        try (Stream<Path> files = Files.list(SIMULATIONS)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(name.className() + "$")
                            || f.getFileName().toString().equals(name.className() + ".class"))
                    .toList()) {
                fields.addAll(fieldRefs(Files.readAllBytes(file)));
            }
        }
        return fields;
    }

    /** The field references of a class file's constant pool (JVMS 4.4), as owner.name. */
    private static Set<String> fieldRefs(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        in.skipBytes(8); // magic, minor and major version
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] first = new int[count];
        int[] second = new int[count];
        int[] tags = new int[count];
        for (int i = 1; i < count; i++) {
            tags[i] = in.readUnsignedByte();
            switch (tags[i]) {
                case 1 -> utf8[i] = in.readUTF();
                case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
                case 15 -> in.skipBytes(3);
                case 3, 4 -> in.skipBytes(4);
                case 9, 10, 11, 12, 17, 18 -> {
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                }
                case 5, 6 -> {
                    in.skipBytes(8);
                    i++; // a long or double takes two entries
                }
                default -> throw new IOException("unknown constant pool tag " + tags[i]);
            }
        }
        Set<String> refs = new HashSet<>();
        for (int i = 1; i < count; i++) {
            if (tags[i] == 9) { // Fieldref: class, then name-and-type
                refs.add(utf8[first[first[i]]] + "." + utf8[first[second[i]]]);
            }
        }
        return refs;
    }

    private static Path classesOf(Class<?> type) {
        try {
            return Path.of(type.getResource(type.getSimpleName() + ".class").toURI())
                    .getParent();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
