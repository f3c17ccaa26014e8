package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The keystore profile a request's secrets come from ({@code secrets_ref}). */
public record SecretsReference(
        @JsonProperty("profile") String profile,
        @JsonProperty("account_id") String accountId) {}
