package dev.caravan.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import org.bson.BsonDocument;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * With {@code -Dbench.commands=true}: store time per command shape (collection, command, filter keys), printed when
 * the server stops — finds the queries that scan on the embedded store.
 */
final class CommandProfile implements CommandListener {

    private static final Map<String, LongAdder[]> BY_SHAPE = new ConcurrentHashMap<>();
    private static final Map<Integer, String> STARTED = new ConcurrentHashMap<>();

    static void register(ConfigurableApplicationContext context) {
        CommandProfile profile = new CommandProfile();
        ((GenericApplicationContext) context).registerBean(MongoClientSettingsBuilderCustomizer.class,
                () -> b -> b.addCommandListener(profile));
        Runtime.getRuntime().addShutdownHook(new Thread(CommandProfile::print));
    }

    @Override
    public void commandStarted(CommandStartedEvent e) {
        BsonDocument c = e.getCommand();
        String name = e.getCommandName();
        Object coll = c.get(name);
        String filter = "";
        if (c.containsKey("filter")) filter = c.getDocument("filter").keySet().toString();
        else if (c.containsKey("updates")) filter = "q" + c.getArray("updates").get(0).asDocument().getDocument("q").keySet();
        else if (c.containsKey("deletes")) filter = "q" + c.getArray("deletes").get(0).asDocument().getDocument("q").keySet();
        else if (c.containsKey("pipeline")) filter = "pipeline";
        else if (c.containsKey("query")) filter = c.getDocument("query").keySet().toString();
        STARTED.put(e.getRequestId(), name + " " + (coll == null ? "" : coll.toString()) + " " + filter);
    }

    @Override
    public void commandSucceeded(CommandSucceededEvent e) {
        String shape = STARTED.remove(e.getRequestId());
        if (shape == null) return;
        LongAdder[] a = BY_SHAPE.computeIfAbsent(shape, k -> new LongAdder[]{new LongAdder(), new LongAdder()});
        a[0].increment();
        a[1].add(e.getElapsedTime(java.util.concurrent.TimeUnit.MICROSECONDS));
    }

    static void print() {
        System.out.println("store time by command shape (total ms, count, µs each):");
        BY_SHAPE.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[1].sum(), x.getValue()[1].sum())).limit(30)
                .forEach(en -> System.out.printf("%10d ms %9d  %8d µs  %s%n", en.getValue()[1].sum() / 1000,
                        en.getValue()[0].sum(), en.getValue()[1].sum() / Math.max(1, en.getValue()[0].sum()), en.getKey()));
    }
}
