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
    @Test
    void keystoreNormalisationMatchesOutLayersVectors() {
        assertThat(RepoUrls.forDecryption("https://github.com/alice/project")).isEqualTo("github.com/alice/project");
        assertThat(RepoUrls.forDecryption("http://github.com/alice/project")).isEqualTo("github.com/alice/project");
        assertThat(RepoUrls.forDecryption("ssh://git@github.com/alice/project")).isEqualTo("github.com/alice/project");
        assertThat(RepoUrls.forDecryption("git@github.com:alice/project")).isEqualTo("github.com/alice/project");
        assertThat(RepoUrls.forDecryption("git@github.com/alice/project")).isEqualTo("github.com/alice/project");
        assertThat(RepoUrls.forDecryption("github.com/alice/project.git")).isEqualTo("github.com/alice/project");
        assertThat(RepoUrls.forDecryption("github.com/alice/project")).isEqualTo("github.com/alice/project");
        assertThat(RepoUrls.forDecryption("gitlab.com/alice/project")).isEqualTo("gitlab.com/alice/project");
    }

    @Test
    void keystoreNormalisationChangesNothingElse() {
        // No case folding, no trailing-slash removal, no github.com for owner/repo, schemes case-sensitive.
        assertThat(RepoUrls.forDecryption("github.com/Alice/Project")).isEqualTo("github.com/Alice/Project");
        assertThat(RepoUrls.forDecryption("github.com/alice/project/")).isEqualTo("github.com/alice/project/");
        assertThat(RepoUrls.forDecryption("alice/project")).isEqualTo("alice/project");
        assertThat(RepoUrls.forDecryption("HTTPS://github.com/alice/project"))
                .isEqualTo("HTTPS://github.com/alice/project");
        assertThat(RepoUrls.forDecryption("  https://github.com/alice/project.git  "))
                .isEqualTo("github.com/alice/project");
        // One .git only, and git@'s every ':' becomes '/'.
        assertThat(RepoUrls.forDecryption("github.com/a/b.git.git")).isEqualTo("github.com/a/b.git");
        assertThat(RepoUrls.forDecryption("git@host:22:a/b")).isEqualTo("host/22/a/b");
    }

    @Test
    void coordinatorNormalisationMatchesOutLayersVectors() {
        assertThat(RepoUrls.forEncryption("https://github.com/alice/project.git"))
                .isEqualTo("github.com/alice/project");
        assertThat(RepoUrls.forEncryption("https://github.com/alice/project")).isEqualTo("github.com/alice/project");
        assertThat(RepoUrls.forEncryption("git@github.com:alice/project.git")).isEqualTo("github.com/alice/project");
        assertThat(RepoUrls.forEncryption("git@github.com:alice/project")).isEqualTo("github.com/alice/project");
        assertThat(RepoUrls.forEncryption("github.com/alice/project")).isEqualTo("github.com/alice/project");
        assertThat(RepoUrls.forEncryption("github.com/alice/project.git")).isEqualTo("github.com/alice/project");
        assertThat(RepoUrls.forEncryption("alice/project")).isEqualTo("github.com/alice/project");
        assertThat(RepoUrls.forEncryption("alice/project.git")).isEqualTo("github.com/alice/project");
        assertThat(RepoUrls.forEncryption("https://gitlab.com/alice/project.git"))
                .isEqualTo("gitlab.com/alice/project");
        assertThat(RepoUrls.forEncryption("git.example.com/alice/project")).isEqualTo("git.example.com/alice/project");
        assertThat(RepoUrls.forEncryption("  alice/project  ")).isEqualTo("github.com/alice/project");
        assertThat(RepoUrls.forEncryption("fastnear/near-offshore")).isEqualTo("github.com/fastnear/near-offshore");
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
