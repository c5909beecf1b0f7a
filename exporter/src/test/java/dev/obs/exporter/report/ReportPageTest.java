package dev.obs.exporter.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReportPageTest {
    @Test
    void aSpanAttributeCannotEndTheDataBlock() {
        String data = "{\"name\":\"</script><script>alert(1)</script><!--\",\"a\":\"x & y > z\"}";
        String page = ReportPage.render("t", data);
        int block = page.indexOf("<script type=\"application/json\" id=\"obs-data\">");
        int end = page.indexOf("</script>", block);
        String embedded = page.substring(page.indexOf('>', block) + 1, end);
        assertEquals("{\"name\":\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u003c!--\","
                + "\"a\":\"x \\u0026 y \\u003e z\"}", embedded);
        assertFalse(page.contains("<script>alert(1)"), "the attribute's markup is not in the page as markup");
    }

    @Test
    void theTitleIsText() {
        String page = ReportPage.render("obs report · <b>&", "{}");
        assertTrue(page.contains("<title>obs report · &lt;b&gt;&amp;</title>"), page.substring(0, 400));
    }

    @Test
    void everythingIsInlineAndNothingIsFetched() {
        String page = ReportPage.render("t", "{}");
        assertFalse(page.contains("/*OBS_"), "every placeholder is filled");
        assertFalse(page.matches("(?s).*<(script|link|img)[^>]*\\s(src|href)=.*"), "no external script, style or image");
        assertTrue(page.contains("default-src 'none'"), "the page's policy forbids every request");
        assertTrue(page.contains("window.OBS_MODEL"), "the scripts are inline");
    }
}
