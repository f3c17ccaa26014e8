package dev.outlayer.bench.targetsystem.storage;

/** The {@link ProjectStorage} rules in memory. */
class InMemoryProjectStorageTest extends ProjectStorageContractTest {
    @Override
    protected ProjectStorage newStorage() {
        return new InMemoryProjectStorage();
    }
}
