package dev.headroom.sizing;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An unmodifiable map built on first access. The assumptions of an estimate are a view of its inputs, wanted by
 * the UI panel and by reports but not by the fit searches and sweeps that run estimates by the thousand.
 */
final class LazyMap<K, V> extends AbstractMap<K, V> {
    private Supplier<Map<K, V>> supplier;
    private Map<K, V> map;

    LazyMap(Supplier<Map<K, V>> supplier) {
        this.supplier = supplier;
    }

    private synchronized Map<K, V> map() {
        if (map == null) {
            map = supplier.get();
            supplier = null;
        }
        return map;
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return map().entrySet();
    }

    @Override
    public V get(Object key) {
        return map().get(key);
    }
}
