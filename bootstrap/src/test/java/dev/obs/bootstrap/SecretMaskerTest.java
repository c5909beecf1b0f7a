package dev.obs.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://user:tok3n@host/repo.git|https://****@host/repo.git",
            "ssh://git:pa55@host:22/r|ssh://****@host:22/r",
            "https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/x|https://****@github.com/x",
            "-Ddb.password=hunter2|-Ddb.password=****",
            "--token=abc123|--token=****",
            "api_key: xyz|api_key: ****",
            "Authorization: Bearer abcdef.ghijk|Authorization: **** ****",
            "use Bearer abcdefghijk now|use Bearer **** now",
            "key ghp_abcdefghijklmnopqrstuvwxyz0123456789 end|key **** end",
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnop|****",
            "glpat-abcdefghij0123456789|****",
            "AKIAABCDEFGHIJKLMNOP|****",
            "no secrets here: https://host/repo.git|no secrets here: https://host/repo.git",
            "DB_PASSWORD=hunter2|DB_PASSWORD=****",
            "X-Api-Key: abc123|X-Api-Key: ****",
            "BEARER abcdefghijk|BEARER ****",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef|0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "/srv/git/team-a/secret-project/work|/srv/git/team-a/secret-project/work",
    })
    void masksCredentials(String input, String expected) {
        assertEquals(expected, SecretMasker.mask(input));
    }

    @Test
    void theWordPrefilterIgnoresCaseAndFindsWordsAnywhere() {
        String[] words = {"token", "auth"};
        assertTrue(SecretMasker.containsAny("x-AUTH-y", words));
        assertTrue(SecretMasker.containsAny("myToken", words));
        assertTrue(SecretMasker.containsAny("token", words));
        assertFalse(SecretMasker.containsAny("toke", words));
        assertFalse(SecretMasker.containsAny("", words));
    }

    @Test
    void masksTheArgumentAfterASecretFlag() {
        assertEquals("****", SecretMasker.maskArgument("--password", "hunter2"));
        assertEquals("****", SecretMasker.maskArgument("-p-token", "x"));
        assertEquals("value", SecretMasker.maskArgument("--name", "value"));
        assertEquals("--next", SecretMasker.maskArgument("--password", "--next"));
    }

    @Test
    void recognisesSecretKeys() {
        assertTrue(SecretMasker.isSecretKey("db.password"));
        assertTrue(SecretMasker.isSecretKey("GITHUB_TOKEN"));
        assertTrue(SecretMasker.isSecretKey("x-api-key"));
        assertFalse(SecretMasker.isSecretKey("service.name"));
    }

    @Test
    void leavesNullAndEmptyAlone() {
        assertEquals(null, SecretMasker.mask(null));
        assertEquals("", SecretMasker.mask(""));
    }
}
