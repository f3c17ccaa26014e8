package dev.outlayer.bench.targetsystem.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Content-Type values axum 0.7's {@code Json<T>} takes and refuses: its own test's
 * ({@code json_content_types}) and what the {@code mime} 0.3 parser it relies on accepts or refuses.
 */
class JsonContentTypeTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                // axum's json_content_types test
                "application/json",
                "application/json; charset=utf-8",
                "application/json;charset=utf-8",
                "application/cloudevents+json",
                // type and subtype are case-insensitive (mime lowercases them)
                "Application/JSON",
                "APPLICATION/JSON; CHARSET=UTF-8",
                "application/vnd.api+JSON",
                // the suffix is after the last '+'; the subtype name is before it
                "application/a+b+json",
                "application/json+zstd",
                "application/json+",
                // parameters: any token or quoted value, leading spaces after ';', a trailing ';'
                "application/json; charset=latin1",
                "application/json;  charset=utf-8",
                "application/json; charset=\"utf-8\"",
                "application/json; charset=\"\"\"",
                "application/json; a=1; b=2",
                "application/json; a=\"x y\" ; b=2",
                "application/json;",
                "application/json; charset="
            })
    void takenAsJson(String contentType) {
        assertThat(JsonContentType.isJson(contentType)).isTrue();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {
                "",
                // axum's json_content_types test
                "text/json",
                "text/plain",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "application/jsonx",
                "application/x-json",
                "application/json-rpc",
                "*/*",
                "application/*",
                "application",
                "application/",
                "/json",
                // no '+' at the subtype's start, no '+json' suffix without a name before it
                "application/+json",
                "application/foo/bar+json",
                // a space or a tab where mime wants a token
                "application/json ; charset=utf-8",
                "application /json",
                "application/ json",
                "application/json;\tcharset=utf-8",
                // parameters that do not parse
                "application/json; charset",
                "application/json; =utf-8",
                "application/json; charset=utf 8",
                "application/json; charset=utf-8 ",
                "application/json; charset=\"utf-8",
                "application/json; charset=\"utf-8\" x",
                "application/json; charset=;",
                "application/json; ",
                "application/json;;",
                // http's HeaderValue::to_str refuses what is not visible ASCII
                "application/json; charset=\"ü\"",
                "application/jsön"
            })
    void notJson(String contentType) {
        assertThat(JsonContentType.isJson(contentType)).isFalse();
    }
}
