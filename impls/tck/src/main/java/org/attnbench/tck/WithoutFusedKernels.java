package org.attnbench.tck;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import org.attnbench.api.Backend;

/**
 * A backend with its fused attention kernels taken away and everything else delegated: what a backend without them
 * (a new GPU backend, say) looks like to the kit and the sweep, for the tests that check they skip rather than fail.
 */
public final class WithoutFusedKernels {
    private WithoutFusedKernels() {}

    /** The backend, named "NAME-without-fused-kernels", answering no to every fused kernel. */
    public static Backend of(Backend backend) {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "fusesAttention" -> false;
            case "name" -> backend.name() + "-without-fused-kernels";
            default -> {
                try {
                    yield method.invoke(backend, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        };
        return (Backend) Proxy.newProxyInstance(WithoutFusedKernels.class.getClassLoader(), new Class<?>[] {Backend.class}, handler);
    }
}
