package dev.caravan.common.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Sorting for the embedded store's queries with a sort. The stock collections sort every matching document with a
 * comparator that parses each sort key's path and looks its value up on both sides of every comparison, then cut the
 * result to the limit: a work queue's "oldest due first, 100 at a time" over 100,000 waiting timers sorted all
 * 100,000 at every poll. Here each document's sort values are read once, and with a limit only the first
 * {@code skip + limit} are kept in a bounded heap. Ties keep their scan order, as the stock stable sort does.
 */
final class SortedSelection {

    private record Keyed(Object[] keys, long seq, Document document) {
    }

    private SortedSelection() {
    }

    /** Whether this sort is one this class answers ({@code $natural} order is the scan order, left to the stock code). */
    static boolean handles(Document orderBy) {
        return orderBy != null && !orderBy.isEmpty() && !orderBy.keySet().iterator().next().equals("$natural");
    }

    /** The matched documents in sort order, skipped and limited as asked ({@code limit <= 0}: all of them). */
    static List<Document> select(Stream<Document> matched, Document orderBy, int skip, int limit) {
        String[] paths = orderBy.keySet().toArray(String[]::new);
        ValueComparator[] directions = new ValueComparator[paths.length];
        for (int i = 0; i < paths.length; i++) {
            directions[i] = ((Number) orderBy.get(paths[i])).intValue() > 0 ? ValueComparator.asc() : ValueComparator.desc();
        }
        Comparator<Keyed> order = (a, b) -> {
            for (int i = 0; i < directions.length; i++) {
                int cmp = directions[i].compare(a.keys[i], b.keys[i]);
                if (cmp != 0) return cmp;
            }
            return Long.compare(a.seq, b.seq);
        };
        long[] seq = {0};
        Stream<Keyed> keyed = matched.map(d -> {
            Object[] keys = new Object[paths.length];
            for (int i = 0; i < paths.length; i++) {
                // a top-level field is what the stock path lookup returns for it, without splitting the path
                keys[i] = paths[i].indexOf('.') < 0 ? d.getOrMissing(paths[i])
                        : Utils.getSubdocumentValueCollectionAware(d, paths[i]);
            }
            return new Keyed(keys, seq[0]++, d);
        });
        long wanted = limit > 0 ? (long) Math.max(0, skip) + limit : Long.MAX_VALUE;
        List<Keyed> sorted;
        if (wanted < Integer.MAX_VALUE) {
            PriorityQueue<Keyed> best = new PriorityQueue<>((int) Math.min(wanted, 1024), order.reversed());
            keyed.forEach(k -> {
                if (best.size() < wanted) best.add(k);
                else if (order.compare(k, best.peek()) < 0) {
                    best.poll();
                    best.add(k);
                }
            });
            sorted = new ArrayList<>(best);
        } else {
            sorted = new ArrayList<>(keyed.toList());
        }
        sorted.sort(order);
        List<Document> out = new ArrayList<>(Math.max(0, sorted.size() - Math.max(0, skip)));
        for (int i = Math.max(0, skip); i < sorted.size(); i++) out.add(sorted.get(i).document());
        return out;
    }
}
