package dev.outlayer.bench.targetsystem.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * OutLayer's own test vectors for its two normalisations (keystore-worker utils.rs
 * test_normalize_repo_url; coordinator github.rs tests), and where the two differ: a different
 * string is a different seed and a blob that does not open.
 */
class RepoUrlsTest {
    /** OutLayer keystore-worker utils.rs test_normalize_repo_url: input, expected. */
    static final String[][] KEYSTORE_VECTORS = {
        {"https://github.com/alice/project", "github.com/alice/project"},
        {"http://github.com/alice/project", "github.com/alice/project"},
        {"ssh://git@github.com/alice/project", "github.com/alice/project"},
        {"git@github.com:alice/project", "github.com/alice/project"},
        {"git@github.com/alice/project", "github.com/alice/project"},
        {"github.com/alice/project.git", "github.com/alice/project"},
        {"github.com/alice/project", "github.com/alice/project"},
        {"gitlab.com/alice/project", "gitlab.com/alice/project"},
    };

    /** What it leaves alone: no case folding, trailing slash kept, owner/repo as written, schemes case-sensitive. */
    static final String[][] KEYSTORE_LEAVES = {
        {"github.com/Alice/Project", "github.com/Alice/Project"},
        {"github.com/alice/project/", "github.com/alice/project/"},
        {"alice/project", "alice/project"},
        {"HTTPS://github.com/alice/project", "HTTPS://github.com/alice/project"},
        {"  https://github.com/alice/project.git  ", "github.com/alice/project"},
        {"github.com/a/b.git.git", "github.com/a/b.git"},
        {"git@host:22:a/b", "host/22/a/b"},
    };

    /** OutLayer coordinator github.rs tests (parse_github_repo). */
    static final String[][] COORDINATOR_VECTORS = {
        {"https://github.com/alice/project.git", "github.com/alice/project"},
        {"https://github.com/alice/project", "github.com/alice/project"},
        {"git@github.com:alice/project.git", "github.com/alice/project"},
        {"git@github.com:alice/project", "github.com/alice/project"},
        {"github.com/alice/project", "github.com/alice/project"},
        {"github.com/alice/project.git", "github.com/alice/project"},
        {"alice/project", "github.com/alice/project"},
        {"alice/project.git", "github.com/alice/project"},
        {"https://gitlab.com/alice/project.git", "gitlab.com/alice/project"},
        {"git.example.com/alice/project", "git.example.com/alice/project"},
        {"  alice/project  ", "github.com/alice/project"},
        {"fastnear/near-offshore", "github.com/fastnear/near-offshore"},
    };

    @Test
    void keystoreNormalisationMatchesOutLayersVectorsAndChangesNothingElse() {
        for (String[][] table : new String[][][] {KEYSTORE_VECTORS, KEYSTORE_LEAVES}) {
            for (String[] v : table) {
                assertThat(RepoUrls.forDecryption(v[0])).as(v[0]).isEqualTo(v[1]);
            }
        }
    }

    @Test
    void coordinatorNormalisationMatchesOutLayersVectors() {
        for (String[] v : COORDINATOR_VECTORS) {
            assertThat(RepoUrls.forEncryption(v[0])).as(v[0]).isEqualTo(v[1]);
        }
        for (String invalid : new String[] {"", "not-a-valid-repo", "https://github.com/", "github.com"}) {
            assertThatThrownBy(() -> RepoUrls.forEncryption(invalid)).hasMessageContaining("epository");
        }
    }

    @Test
    void theTwoRulesDifferWhereOutLayersDo() {
        // owner/repo: the key is asked for as github.com/..., the keystore looks up owner/repo as written.
        assertThat(RepoUrls.forEncryption("alice/project")).isNotEqualTo(RepoUrls.forDecryption("alice/project"));
        // ssh:// is only the keystore's; a trailing slash only the keystore accepts.
        assertThatThrownBy(() -> RepoUrls.forEncryption("ssh://git@github.com/alice/project"));
        assertThatThrownBy(() -> RepoUrls.forEncryption("https://github.com/alice/project/"));
    }

    @Test
    void aDifferentNormalisationIsADifferentKey() {
        ScopeKeys keys = new ScopeKeys(new byte[32]);
        String asked = new Scope(
                        new SecretAccessor.Repo(RepoUrls.forEncryption("alice/project"), null), "alice.near", null)
                .seed();
        String opened = new Scope("alice/project", "alice.near", null).seed();
        assertThat(asked).isEqualTo("github.com/alice/project:alice.near");
        assertThat(opened).isEqualTo("alice/project:alice.near");
        assertThat(keys.forSeed(asked).publicKeyHex())
                .isNotEqualTo(keys.forSeed(opened).publicKeyHex());
    }
}
