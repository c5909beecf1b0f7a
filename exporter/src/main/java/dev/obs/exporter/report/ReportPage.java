package dev.obs.exporter.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The HTML report as one self-contained file: the page's template, its stylesheet and scripts (resources next
 * to this class) and the data it draws, all inlined. The page loads nothing (its Content-Security-Policy
 * forbids every fetch) and draws its charts as SVG in the browser from the embedded JSON, so what it shows is
 * exactly the data embedded, and the data is what {@code obs metrics --json} and {@code obs traces --json}
 * print for the same window.
 */
public final class ReportPage {
    private static final String TEMPLATE = "report.html";
    private static final String[] SCRIPTS = {"model.js", "report.js"};

    private ReportPage() {
    }

    /**
     * The page for {@code dataJson}, a JSON object as {@link ReportData} writes it. {@code title} is plain text.
     */
    public static String render(String title, String dataJson) {
        String page = resource(TEMPLATE);
        StringBuilder js = new StringBuilder();
        for (String script : SCRIPTS) {
            js.append(resource(script)).append('\n');
        }
        // Placeholders are filled in an order where no inserted text can contain a later placeholder's token.
        page = fill(page, "/*OBS_TITLE*/", escapeText(title));
        page = fill(page, "/*OBS_CSS*/", resource("report.css"));
        page = fill(page, "/*OBS_JS*/", js.toString());
        return fill(page, "/*OBS_DATA*/", escapeScriptJson(dataJson));
    }

    /**
     * JSON made safe inside {@code <script type="application/json">}: every {@code <} becomes {@code \u003c},
     * so no {@code </script>} or {@code <!--} in a span's attribute can end the block, and the line separators
     * JavaScript treats as line ends are escaped too. Only string contents can hold these characters, and there
     * the escapes mean the same characters.
     */
    static String escapeScriptJson(String json) {
        StringBuilder out = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String escapeText(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String fill(String page, String token, String value) {
        int at = page.indexOf(token);
        if (at < 0) {
            throw new IllegalStateException("the report template has no " + token);
        }
        return page.substring(0, at) + value + page.substring(at + token.length());
    }

    private static String resource(String name) {
        try (InputStream in = ReportPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("obs.jar lacks the report resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
