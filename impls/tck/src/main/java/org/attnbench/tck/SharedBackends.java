package org.attnbench.tck;

import java.util.concurrent.ConcurrentHashMap;

import org.attnbench.api.Backend;
import org.attnbench.api.Backends;

/**
 * Backends opened once per test JVM and left open until it exits: opening one can load native libraries or
 * create a device context, which should not happen per test.
 */
final class SharedBackends {
    private static final ConcurrentHashMap<String, Backend> OPEN = new ConcurrentHashMap<>();

    private SharedBackends() {}

    static Backend get(String name) {
        return OPEN.computeIfAbsent(name, Backends::open);
    }
}
