package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The coordinator's system-callbacks queue, as OutLayer's (coordinator handlers/topup.rs, its Redis
 * list {@code system_callbacks_queue}): the contract's {@code system_event}s that need a worker
 * (a payment key's TopUp, its DeletePaymentKey, a deleted project's ProjectStorageCleanup) become
 * tasks, each created once however many monitors see its event, and a worker takes them one at a
 * time ({@code GET
 * /system-callbacks/poll}, or the in-process system-callback worker). In memory ({@link
 * InMemorySystemCallbacks}: a restart forgets queued tasks, whose yields then time out and refund as
 * OutLayer's would after a lost task) or in PostgreSQL ({@link PostgresSystemCallbacks}: queued
 * tasks survive a restart and coordinators sharing the database share the queue).
 */
public interface SystemCallbacks {
    /** OutLayer's {@code DEFAULT} zero data id: the TopUp of a new key (store_secrets) has no yield. */
    String NO_YIELD = "0".repeat(64);
    /**
     * OutLayer's {@code SystemCallbackTask} ({@code #[serde(tag = "task_type")]}): {@code top_up}
     * with {@code data_id}, {@code owner}, {@code nonce}, {@code amount} and {@code encrypted_data},
     * {@code delete_payment_key} with the first three, or {@code project_storage_cleanup} with {@code
     * project_id} and {@code project_uuid} only.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Task(
            @JsonProperty("task_type") String taskType,
            @JsonProperty("task_id") long taskId,
            @JsonProperty("data_id") String dataId,
            @JsonProperty("owner") String owner,
            @JsonProperty("nonce") Long nonce,
            @JsonProperty("amount") String amount,
            @JsonProperty("encrypted_data") String encryptedData,
            @JsonProperty("project_id") String projectId,
            @JsonProperty("project_uuid") String projectUuid,
            @JsonProperty("created_at") long createdAt) {
        public static final String TOP_UP = "top_up";
        public static final String DELETE_PAYMENT_KEY = "delete_payment_key";
        public static final String PROJECT_STORAGE_CLEANUP = "project_storage_cleanup";

        /** Whether a yield waits for this task's result (a new key's TopUp has none). */
        public boolean yielded() {
            return !NO_YIELD.equals(dataId);
        }
    }

    /**
     * OutLayer's {@code CreateTopUpResponse} / {@code CreateDeletePaymentKeyTaskResponse} / {@code
     * CreateProjectStorageCleanupResponse}.
     */
    public record Created(
            @JsonProperty("task_id") long taskId,
            @JsonProperty("created") boolean created) {}

    /**
     * A TopUp task, unless its event has one already. OutLayer keys the check on {@code data_id}
     * alone, which for every new key's TopUp is the zero id, so a second key created within its
     * hour would be dropped; here such a TopUp is known by owner, nonce and blob instead.
     */
    default Created createTopUp(String dataId, String owner, long nonce, String amount, String encryptedData) {
        String identity = NO_YIELD.equals(dataId)
                ? "init:" + owner + ":" + nonce + ":" + sha256(encryptedData)
                : "top_up:" + dataId;
        return create(
                identity,
                id -> new Task(
                        Task.TOP_UP,
                        id,
                        dataId,
                        owner,
                        nonce,
                        amount,
                        encryptedData,
                        null,
                        null,
                        Instant.now().getEpochSecond()));
    }

    /** A DeletePaymentKey task, unless its event (its data_id) has one already. */
    default Created createDelete(String dataId, String owner, long nonce) {
        return create(
                "delete:" + dataId,
                id -> new Task(
                        Task.DELETE_PAYMENT_KEY,
                        id,
                        dataId,
                        owner,
                        nonce,
                        null,
                        null,
                        null,
                        null,
                        Instant.now().getEpochSecond()));
    }

    /**
     * A ProjectStorageCleanup task (OutLayer's {@code create_project_storage_cleanup_task}), unless one
     * was created for the project's uuid: the worker that takes it clears the project's storage. OutLayer
     * keys the check on the uuid for an hour; here for as long as the queue remembers tasks.
     */
    default Created createProjectCleanup(String projectId, String projectUuid) {
        return create(
                "project_cleanup:" + sha256(projectUuid),
                id -> new Task(
                        Task.PROJECT_STORAGE_CLEANUP,
                        id,
                        null,
                        null,
                        null,
                        null,
                        null,
                        projectId,
                        projectUuid,
                        Instant.now().getEpochSecond()));
    }

    /** The task {@code task} makes with a new id, unless a task of this identity was created (then its id). */
    Created create(String identity, java.util.function.LongFunction<Task> task);

    /** The next task, if one is queued; it is handed out once. */
    Optional<Task> poll();

    /** The next task, waiting up to {@code wait} for one. */
    Optional<Task> poll(Duration wait) throws InterruptedException;

    /** Tasks waiting for a worker. */
    int queued();

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
