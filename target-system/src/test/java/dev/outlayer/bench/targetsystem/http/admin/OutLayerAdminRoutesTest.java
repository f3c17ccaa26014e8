package dev.outlayer.bench.targetsystem.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The texts of OutLayer's admin routes that its stack (PostgreSQL, axum) writes, without a server. */
class OutLayerAdminRoutesTest {

    @Test
    void createdAtReadsAsPostgresWritesAUtcTimestamptz() {
        assertThat(OutLayerAdminRoutes.postgresText(Instant.parse("2026-01-21T10:30:00Z")))
                .isEqualTo("2026-01-21 10:30:00+00");
        assertThat(OutLayerAdminRoutes.postgresText(Instant.parse("2026-01-21T10:30:00.120400Z")))
                .isEqualTo("2026-01-21 10:30:00.1204+00");
        assertThat(OutLayerAdminRoutes.postgresText(Instant.parse("2026-01-21T10:30:00.000001999Z")))
                .as("microseconds, as PostgreSQL keeps them")
                .isEqualTo("2026-01-21 10:30:00.000001+00");
    }

    @Test
    void aPathNonceIsReadAsAxumReadsAnI32() {
        assertThat(OutLayerAdminRoutes.pathI32("+7", 1)).isEqualTo(7);
        assertThat(OutLayerAdminRoutes.pathI32("-2147483648", 1)).isEqualTo(Integer.MIN_VALUE);
        assertThatThrownBy(() -> OutLayerAdminRoutes.pathI32("2147483648", 1))
                .isInstanceOf(ApiException.class)
                .hasMessage("Invalid URL: Cannot parse value at index 1 with value `\"2147483648\"` to a `i32`");
        assertThatThrownBy(() -> OutLayerAdminRoutes.pathI32("a\"b\\c\n", 1))
                .hasMessage("Invalid URL: Cannot parse value at index 1 with value `\"a\\\"b\\\\c\\n\"` to a `i32`");
    }
}
