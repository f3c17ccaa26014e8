package dev.outlayer.bench.targetsystem.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountsFeederTest {
    private static final Path COMMITTED = TestPrograms.root().resolve("feeders/accounts.csv");

    /** The committed feeder: every row seeds, and each private_key (what clients sign with) is its public_key's. */
    @Test
    void theCommittedFeedersKeysArePairs() throws IOException {
        List<AccountsFeeder.Seed> seeds = AccountsFeeder.read(COMMITTED);
        List<String> lines = Files.readAllLines(COMMITTED);

        assertThat(seeds)
                .hasSize(lines.size() - 1)
                .extracting(AccountsFeeder.Seed::accountId)
                .contains("alice.test.near", "bob.test.near", "user0.test.near", "user31.test.near");
        for (String line : lines.subList(1, lines.size())) {
            String[] columns = line.split(",");
            TransactionSigner signer = new TransactionSigner(columns[0], columns[3]);
            assertThat(signer.publicKey().toString()).as(columns[0]).isEqualTo(columns[1]);
            assertThat(signer.secretKeyText())
                    .as("near-api-js's text form of the key")
                    .isEqualTo(columns[3]);
        }
        assertThat(seeds.get(0).balance()).isEqualTo(new BigInteger("1000000000000000000000000000"));
    }

    @Test
    void aBadRowIsRefusedNamingTheRow() {
        String header = "account_id,public_key,balance\n";
        String good = "alice.test.near,ed25519:3TEoqgUGaWU78md2Zt7BkNLNp3ye2rvexsDo47GYM469,10\n";

        assertThatThrownBy(
                        () -> read(header + good + "Alice!,ed25519:3TEoqgUGaWU78md2Zt7BkNLNp3ye2rvexsDo47GYM469,1\n"))
                .hasMessageContaining("row 3")
                .hasMessageContaining("account_id");
        assertThatThrownBy(() -> read(header + "bob.test.near,ed25519:abc,1\n")).hasMessageContaining("public_key");
        assertThatThrownBy(
                        () -> read(header + "bob.test.near,ed25519:3TEoqgUGaWU78md2Zt7BkNLNp3ye2rvexsDo47GYM469,-1\n"))
                .hasMessageContaining("u128");
        assertThatThrownBy(
                        () -> read(header + "bob.test.near,ed25519:3TEoqgUGaWU78md2Zt7BkNLNp3ye2rvexsDo47GYM469,ten\n"))
                .hasMessageContaining("balance");
    }

    private static List<AccountsFeeder.Seed> read(String csv) throws IOException {
        return AccountsFeeder.read(new StringReader(csv), "accounts.csv");
    }
}
