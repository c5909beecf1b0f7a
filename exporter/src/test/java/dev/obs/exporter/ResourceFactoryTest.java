package dev.obs.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceFactoryTest {
    @Test
    void commandLineIsTheExecutableAndTheArgumentsAfterTheFirst() {
        byte[] cmdline = "java\0-cp\0a b\0\0Main\0".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("/usr/bin/java", "-cp", "a b", "", "Main"),
                ResourceFactory.commandLine("/usr/bin/java", cmdline, StandardCharsets.UTF_8));
    }

    @Test
    void commandLineFromProcIsWhatProcessHandleReports() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        List<String> expected = new ArrayList<>();
        expected.add(info.command().orElseThrow());
        expected.addAll(List.of(info.arguments().orElseThrow()));
        assertEquals(expected, ResourceFactory.commandLine());
    }
}
