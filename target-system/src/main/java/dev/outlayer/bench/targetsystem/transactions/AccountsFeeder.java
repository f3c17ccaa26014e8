package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The accounts the chain starts with, from {@code feeders/accounts.csv} ({@code account_id,
 * public_key, balance}, a header row, {@code #} comments): each becomes an account with that
 * balance (yoctoNEAR) and one full-access key with nonce 0, as genesis records do. Other columns
 * (the load generators' {@code private_key}) are not read here.
 */
public final class AccountsFeeder {
    private static final CsvMapper CSV = new CsvMapper();

    private AccountsFeeder() {}

    /** One account to seed. */
    public record Seed(String accountId, PublicKey publicKey, BigInteger balance) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Row(
            @JsonProperty("account_id") String accountId,
            @JsonProperty("public_key") String publicKey,
            @JsonProperty("balance") String balance) {}

    /** Reads every row, or fails naming the file and row; nothing is seeded from a bad file. */
    public static List<Seed> read(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return read(reader, file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static List<Seed> read(Reader reader, String source) throws IOException {
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withComments();
        List<Seed> seeds = new ArrayList<>();
        try (MappingIterator<Row> rows = CSV.readerFor(Row.class).with(schema).readValues(reader)) {
            int line = 1;
            while (rows.hasNext()) {
                line++;
                seeds.add(seed(rows.next(), source + " row " + line));
            }
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalArgumentException("cannot read " + source + ": " + e.getMessage(), e);
        }
        return seeds;
    }

    private static Seed seed(Row row, String where) {
        if (row.accountId() == null || AccountIds.problem(row.accountId().strip()) != null) {
            throw new IllegalArgumentException(where + ": invalid account_id '" + row.accountId() + "'");
        }
        PublicKey key =
                PublicKey.parse(row.publicKey() == null ? null : row.publicKey().strip());
        if (key == null) {
            throw new IllegalArgumentException(where + ": invalid public_key '" + row.publicKey() + "'");
        }
        BigInteger balance;
        try {
            balance = new BigInteger(row.balance().strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": balance must be yoctoNEAR as an integer");
        }
        if (balance.signum() < 0 || balance.bitLength() > 128) {
            throw new IllegalArgumentException(where + ": balance must fit a u128");
        }
        return new Seed(row.accountId().strip(), key, balance);
    }

    /** Creates the accounts with their balance and full-access key. */
    public static void seed(List<Seed> seeds, TransactionChain chain) {
        for (Seed seed : seeds) {
            chain.putAccount(seed.accountId(), seed.balance());
            chain.putAccessKey(seed.accountId(), seed.publicKey(), AccessKey.fullAccess(0));
        }
    }
}
