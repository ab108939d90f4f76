package dev.ferry.core.ops;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StaticService;
import org.apache.camel.support.service.ServiceSupport;

/**
 * What Ferry's MBeans share: added to the context as a service, Camel registers them under its
 * own JMX domain (a StaticService, so the name carries no hash code), and their operations send
 * to the same routes as the CLI through one producer template.
 * <p>
 * Failures reach the client as a plain IllegalStateException with the root cause's message: a
 * remote JMX client cannot deserialize Ferry's or Camel's exception classes and would show a
 * ClassNotFoundException instead of the reason.
 */
public abstract class RouteOperations extends ServiceSupport implements CamelContextAware, StaticService {

    private CamelContext context;
    private ProducerTemplate template;

    protected synchronized ProducerTemplate template() {
        if (template == null) {
            template = context.createProducerTemplate();
        }
        return template;
    }

    /** The failure as a JMX client can show it: what was being done and the root cause's message. */
    protected static IllegalStateException plainFailure(String what, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return new IllegalStateException(what + " failed: " + reason);
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (template != null) {
            template.stop();
            template = null;
        }
    }
}
