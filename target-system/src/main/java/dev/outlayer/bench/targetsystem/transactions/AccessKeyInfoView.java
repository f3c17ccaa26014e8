package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.annotation.JsonProperty;

/** nearcore's AccessKeyInfoView (views.rs): one entry of view_access_key_list's {@code keys}. */
public record AccessKeyInfoView(
        @JsonProperty("public_key") String publicKey,
        @JsonProperty("access_key") AccessKeyView accessKey) {}
