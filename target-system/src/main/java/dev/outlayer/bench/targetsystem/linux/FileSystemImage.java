package dev.outlayer.bench.targetsystem.linux;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The root filesystem a task worker boots with: built once, read-only, shared by every execution.
 * Only /tmp is writable, and each execution gets its own empty /tmp (see {@link #newExecutionTree}).
 * Nothing of the host filesystem is ever mapped in.
 */
final class FileSystemImage {
    static final String HOSTNAME = "outlayer-worker";
    static final String USER = "wasm";
    static final String HOME = "/home/wasm";

    private final Map<String, FsNode> topLevel = new LinkedHashMap<>();

    private FileSystemImage() {}

    static FileSystemImage boot() {
        FileSystemImage image = new FileSystemImage();
        long now = System.currentTimeMillis() * 1_000_000L;
        FsNode.Dir etc = image.dir("etc", now);
        file(etc, "hostname", HOSTNAME + "\n", now);
        file(
                etc,
                "passwd",
                "root:x:0:0:root:/root:/bin/sh\n" + USER + ":x:1000:1000:OutLayer WASI worker:" + HOME + ":/bin/sh\n",
                now);
        file(etc, "group", "root:x:0:\n" + USER + ":x:1000:\n", now);
        file(etc, "hosts", "127.0.0.1\tlocalhost " + HOSTNAME + "\n", now);
        file(
                etc,
                "os-release",
                "NAME=\"OutLayer WASI\"\nID=outlayer\nPRETTY_NAME=\"OutLayer Bench Linux emulator\"\n",
                now);
        image.dir("home", now).mkdir(USER, false, now);
        image.dir("bin", now);
        image.dir("dev", now);
        FsNode.Dir usr = image.dir("usr", now);
        usr.mkdir("bin", false, now);
        usr.mkdir("lib", false, now);
        usr.mkdir("share", false, now);
        image.dir("var", now);
        image.dir("root", now);
        return image;
    }

    /** A fresh tree for one execution: the shared read-only image plus an empty private /tmp. */
    FsNode.Dir newExecutionTree() {
        long now = System.currentTimeMillis() * 1_000_000L;
        FsNode.Dir root = new FsNode.Dir(false, now);
        root.entries.putAll(topLevel);
        root.mkdir("tmp", true, now).links = 1;
        return root;
    }

    private FsNode.Dir dir(String name, long now) {
        FsNode.Dir dir = new FsNode.Dir(false, now);
        topLevel.put(name, dir);
        return dir;
    }

    private static void file(FsNode.Dir parent, String name, String content, long now) {
        parent.entries.put(name, new FsNode.RegularFile(content.getBytes(StandardCharsets.UTF_8), false, now));
    }
}
