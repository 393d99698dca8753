package dev.caravan.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Every console string exists in English and Simplified Chinese, and every key the pages use exists. */
class ConsoleMessagesTest {

    static Properties bundle(String suffix) throws IOException {
        Properties p = new Properties();
        try (InputStream in = ConsoleMessagesTest.class.getResourceAsStream("/i18n/messages_" + suffix + ".properties")) {
            assertThat(in).as("bundle " + suffix).isNotNull();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void everyKeyExistsInBothBundles() throws IOException {
        Properties en = bundle("en");
        Properties zh = bundle("zh_CN");
        assertThat(en.stringPropertyNames()).hasSizeGreaterThan(300);
        assertThat(zh.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(en.stringPropertyNames());
        for (String key : en.stringPropertyNames()) {
            assertThat(en.getProperty(key)).as("en " + key).isNotBlank();
            assertThat(zh.getProperty(key)).as("zh-CN " + key).isNotBlank();
            // MessageFormat arguments must match, or a translation would drop or invent a value
            assertThat(arguments(zh.getProperty(key))).as("arguments of " + key).isEqualTo(arguments(en.getProperty(key)));
        }
    }

    @Test
    void chineseBundleIsTranslated() throws IOException {
        Properties zh = bundle("zh_CN");
        long withChinese = zh.stringPropertyNames().stream()
                .filter(k -> zh.getProperty(k).codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN))
                .count();
        // brand names (WhatsApp, Shopify...) and dashes stay as they are; everything else is Chinese
        assertThat(withChinese).isGreaterThan(zh.size() * 9L / 10);
    }

    /** Keys written literally in templates ({@code #{key}}, {@code #messages.msg('key')}) and in Java ({@code msg("key")}). */
    @Test
    void everyKeyUsedByThePagesExists() throws IOException {
        Properties en = bundle("en");
        Set<String> used = new TreeSet<>();
        Pattern template = Pattern.compile("#\\{([a-zA-Z][a-zA-Z0-9_.-]*)[}(]|#messages\\.msg(?:OrNull)?\\('([a-zA-Z][a-zA-Z0-9_.-]*)'");
        Pattern java = Pattern.compile("\\.msg\\(\"([a-zA-Z][a-zA-Z0-9_.-]*)\"");
        Path main = Path.of("src/main");
        try (Stream<Path> files = Files.walk(main.resolve("resources/templates/console"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".html")).toList()) collect(template, Files.readString(f), used);
        }
        try (Stream<Path> files = Files.walk(main.resolve("java/dev/caravan/console"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) collect(java, Files.readString(f), used);
        }
        assertThat(used).hasSizeGreaterThan(250);
        assertThat(used).allSatisfy(k -> assertThat(en.stringPropertyNames()).as("key used by a page").contains(k));
    }

    /** Keys the pages build from values: journey step parameters, statuses, campaign schedules and metrics. */
    @Test
    void keysBuiltFromValuesExist() throws IOException {
        Set<String> keys = new TreeSet<>();
        dev.caravan.workflow.JourneyService.PALETTE.values().forEach(ps -> ps.forEach(p -> keys.add("journeys.param." + p)));
        JourneysPages.STATUSES.forEach(st -> keys.add("label.journeyStatus." + st));
        CampaignsPages.SCHEDULES.forEach(st -> keys.add("campaigns.schedule." + st));
        CampaignsPages.METRICS.forEach(m -> keys.add("campaigns.metric." + m));
        CampaignsPages.CHANNELS.forEach(c -> keys.add("label.channel." + c));
        for (String status : List.of("draft", "launching", "testing", "running", "paused", "completed", "cancelled")) {
            keys.add("label.campaignStatus." + status);
        }
        for (String lang : List.of("en", "zh_CN")) {
            Properties bundle = bundle(lang);
            assertThat(keys).allSatisfy(k -> assertThat(bundle.stringPropertyNames()).as(lang).contains(k));
        }
    }

    private static void collect(Pattern p, String text, Set<String> into) {
        Matcher m = p.matcher(text);
        while (m.find()) {
            String key = m.group(1) != null ? m.group(1) : m.group(2);
            if (!key.endsWith(".")) into.add(key); // a prefix completed at run time, e.g. 'imports.kind.' + kind
        }
    }

    private static Set<String> arguments(String message) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("\\{(\\d+)").matcher(message);
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
