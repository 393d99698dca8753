package dev.caravan.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.caravan.common.web.FieldError;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.StaticMessageSource;

class ConsoleUnitTest {

    @Test
    void languageSwitchOnlyRedirectsToLocalPaths() {
        assertThat(HomeController.safeTarget("/customers?q=a")).isEqualTo("/customers?q=a");
        assertThat(HomeController.safeTarget("//evil.example")).isEqualTo("/");
        assertThat(HomeController.safeTarget("https://evil.example")).isEqualTo("/");
        assertThat(HomeController.safeTarget("/\\evil.example")).isEqualTo("/");
        assertThat(HomeController.safeTarget("/a\r\nSet-Cookie: x")).isEqualTo("/");
        assertThat(HomeController.safeTarget(null)).isEqualTo("/");
    }

    @Test
    void supportedLanguages() {
        assertThat(ConsoleLocaleResolver.supported("zh")).isEqualTo(ConsoleLocaleResolver.CHINESE);
        assertThat(ConsoleLocaleResolver.supported("zh-TW")).isEqualTo(ConsoleLocaleResolver.CHINESE);
        assertThat(ConsoleLocaleResolver.supported("en-GB")).isEqualTo(Locale.ENGLISH);
        assertThat(ConsoleLocaleResolver.supported("de")).isNull();
    }

    @Test
    void formatsInTheUsersLocaleAndTheCustomersZone() {
        StaticMessageSource messages = new StaticMessageSource();
        messages.addMessage("label.tier.core", Locale.forLanguageTag("zh-CN"), "核心");
        Map<String, ZoneId> zones = Fmt.countryZones(List.of("CN=Asia/Shanghai", "DE=Europe/Berlin", "broken"));
        Fmt zh = new Fmt(Locale.forLanguageTag("zh-CN"), ZoneId.of("UTC"), messages, zones);
        Fmt en = new Fmt(Locale.ENGLISH, ZoneId.of("America/New_York"), messages, zones);
        Instant t = Instant.parse("2026-03-14T17:40:00Z");

        assertThat(en.money(new BigDecimal("1234.5"), "EUR")).isEqualTo("€1,234.50");
        assertThat(zh.money(new BigDecimal("1234.5"), "USD")).contains("1,234.50").contains("US$");
        assertThat(en.money(new BigDecimal("1000"), "JPY")).isEqualTo("¥1,000");
        assertThat(en.percent(0.698)).isEqualTo("69.8%");
        assertThat(en.dateTime(t)).contains("Mar 14, 2026").contains("1:40"); // New York
        assertThat(zh.dateTime(t)).contains("2026年3月14日").contains("5:40"); // UTC, afternoon
        assertThat(en.customerTime(t, null, "CN")).contains("Mar 15, 2026").contains("(Asia/Shanghai)");
        assertThat(en.customerTime(t, "Europe/Berlin", "CN")).contains("(Europe/Berlin)");
        assertThat(en.customerTime(t, null, null)).isEqualTo(Fmt.NONE);
        assertThat(zh.label("tier", "core")).isEqualTo("核心");
        assertThat(zh.label("tag", "my-own-tag")).isEqualTo("my-own-tag");
        assertThat(en.money(null, "USD")).isEqualTo(Fmt.NONE);
    }

    @Test
    void gridCellsBecomeRowsAndErrorsPointAtCells() {
        assertThat(RulesPages.rows(List.of("5000", "10", "diamond", "1000", "4", "gold"), 3))
                .containsExactly(List.of("5000", "10", "diamond"), List.of("1000", "4", "gold"));
        assertThat(RulesPages.cellErrors(List.of(new FieldError("rows[1][2]", "bad id"),
                new FieldError("rows[0]", "a row needs an action"), new FieldError("other", "x"))))
                .containsEntry("1-2", "bad id").containsEntry("0-row", "a row needs an action").containsEntry("all", "x");
    }

    @Test
    void dryRunReportBecomesTransitions() {
        Map<String, Object> report = Map.of("level", Map.of("silver -> gold", 2L, "null -> silver", 1L),
                "tagsAdded", Map.of("vip", 3L),
                "samples", Map.of("level: silver -> gold", List.of("c1", "c2")));
        assertThat(RulesPages.transitions(report)).contains(
                new RulesPages.Transition("level", "silver", "gold", 2, List.of("c1", "c2")),
                new RulesPages.Transition("level", null, "silver", 1, List.of()),
                new RulesPages.Transition("tag-added", null, "vip", 3, List.of()));
    }

    @Test
    void versionDiffsAreUnifiedAndStyled() {
        String diff = RulesPages.unified("t.csv", "a\nb\nc", "a\nB\nc");
        assertThat(RulesPages.lines(diff)).extracting(RulesPages.DiffLine::css).contains("hunk", "del", "add", "");
        assertThat(diff).contains("-b").contains("+B");
    }
}
