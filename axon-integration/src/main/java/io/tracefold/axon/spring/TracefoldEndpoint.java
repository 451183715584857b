package io.tracefold.axon.spring;

import io.tracefold.axon.provenance.Provenance;
import io.tracefold.axon.provenance.ProvenanceException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.Producible;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.lang.Nullable;
import org.springframework.util.MimeType;

/**
 * The {@code tracefold} Actuator endpoint, read-only: {@code GET /actuator/tracefold/{type}/{id}}
 * answers which commands built an aggregate (from its events in the event store) or what the
 * lineage store knows about a {@code @TracedProjection} entity (an id may contain {@code /}: the
 * rest of the path is the id); {@code ?from=N} reads a long stream's next page; {@code GET
 * /actuator/tracefold} lists the types it answers for. A browser ({@code Accept: text/html}) gets
 * a self-contained HTML page, anything else JSON.
 *
 * <p>Like Spring Boot's other sensitive endpoints it is not exposed unless listed in
 * {@code management.endpoints.web.exposure.include}. Bad questions are answered with a JSON (or
 * HTML) error and status 400 (malformed input), 404 (unknown type or id, id of another type) or
 * 503 (store unavailable), never an exception page. A store failure is logged with its stack
 * trace the first time its exception type (the innermost cause's) occurs, later in one line: a
 * probe polling a store that is down does not flood the log.
 */
// Only read operations, so read-only whatever access is granted; no defaultAccess attribute (Spring
// Boot 3.4+), which would not compile against the Boot 3.3 line Tracefold supports.
@WebEndpoint(id = "tracefold")
public final class TracefoldEndpoint {

  private static final Logger LOGGER = LoggerFactory.getLogger(TracefoldEndpoint.class);
  private static final MimeType JSON = MimeType.valueOf("application/json");
  private static final MimeType HTML = MimeType.valueOf("text/html;charset=UTF-8");
  // Exception types whose stack trace was logged; bounded (a store throws a handful of types).
  private static final int MAX_LOGGED_TYPES = 64;
  private static final Set<Class<?>> LOGGED_TYPES = ConcurrentHashMap.newKeySet();

  private final Provenance provenance;

  /** Creates the endpoint answering from {@code provenance}. */
  public TracefoldEndpoint(Provenance provenance) {
    this.provenance = Objects.requireNonNull(provenance, "provenance");
  }

  /** The forms of an answer, chosen by the request's {@code Accept} header. */
  public enum Format implements Producible<Format> {
    /** JSON, the default (also for {@code *}{@code /*} and no {@code Accept}). */
    JSON("application/json") {
      @Override
      public boolean isDefault() {
        return true;
      }
    },
    /** The HTML page, for browsers. */
    HTML("text/html");

    private final MimeType mimeType;

    Format(String mimeType) {
      this.mimeType = MimeType.valueOf(mimeType);
    }

    @Override
    public MimeType getProducedMimeType() {
      return mimeType;
    }
  }

  /** Returns the aggregate and projection entity types this endpoint answers for. */
  @ReadOperation(producesFrom = Format.class)
  public WebEndpointResponse<Object> types(Format format) {
    return answer(format, () -> {
      if (format == Format.HTML) {
        return new WebEndpointResponse<>(
            ProvenancePage.index(provenance.aggregateTypes(), provenance.entityTypes()), 200, HTML);
      }
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("aggregateTypes", provenance.aggregateTypes());
      json.put("entityTypes", provenance.entityTypes());
      json.put("maxEventsScanned", provenance.maxEventsScanned());
      json.put("traceUrlTemplate", provenance.traceLinks().template());
      return new WebEndpointResponse<>(json, 200, JSON);
    });
  }

  /**
   * Returns the provenance of aggregate or projection entity {@code id} of {@code type}, from
   * sequence {@code from} on (aggregates; default 0); {@code id} is the rest of the path, so an id
   * containing {@code /} is asked for as it is ({@code /actuator/tracefold/Order/tenant-1/o-17}).
   */
  @ReadOperation(producesFrom = Format.class)
  public WebEndpointResponse<Object> provenance(
      @Selector String type,
      @Selector(match = Selector.Match.ALL_REMAINING) String[] id,
      @Nullable String from,
      Format format) {
    return provenance(type, String.join("/", id), from, format);
  }

  /** The answer for one id (the web operation above joins the path's segments into it). */
  WebEndpointResponse<Object> provenance(String type, String id, @Nullable String from, Format format) {
    return answer(format, () -> {
      if (provenance.entityTypes().contains(type) && !provenance.aggregateTypes().contains(type)) {
        if (from != null) {
          return error(format, ProvenanceException.Reason.INVALID_INPUT,
              "from: a projection entity is answered from its lineage store, not read in pages");
        }
        var answer = provenance.entity(type, id);
        return format == Format.HTML
            ? new WebEndpointResponse<>(ProvenancePage.entity(answer), 200, HTML)
            : new WebEndpointResponse<>(ProvenanceJson.of(answer), 200, JSON);
      }
      long sequence = sequence(from);
      if (sequence < 0) {
        return error(format, ProvenanceException.Reason.INVALID_INPUT, "from: must be a sequence number (0 or more)");
      }
      var answer = provenance.aggregate(type, id, sequence);
      return format == Format.HTML
          ? new WebEndpointResponse<>(ProvenancePage.aggregate(answer), 200, HTML)
          : new WebEndpointResponse<>(ProvenanceJson.of(answer), 200, JSON);
    });
  }

  /** Returns {@code question}'s response, or the error response for a refusal or a failure. */
  private static WebEndpointResponse<Object> answer(Format format, Supplier<WebEndpointResponse<Object>> question) {
    try {
      return question.get();
    } catch (ProvenanceException e) {
      if (e.reason() == ProvenanceException.Reason.STORE_FAILED) {
        return failed(format, e);
      }
      return error(format, e.reason(), e.getMessage());
    } catch (RuntimeException | LinkageError e) {
      return failed(format, e);
    }
  }

  /** Returns the sequence {@code from} names (0 when absent), or -1 when it names none. */
  private static long sequence(@Nullable String from) {
    if (from == null) {
      return 0;
    }
    if (from.isEmpty() || from.length() > 18) {
      return -1;
    }
    for (int i = 0; i < from.length(); i++) {
      if (from.charAt(i) < '0' || from.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(from);
  }

  /** Logs the cause and answers 503 without it: store errors may name hosts, users or SQL. */
  private static WebEndpointResponse<Object> failed(Format format, Throwable e) {
    if (LOGGED_TYPES.size() < MAX_LOGGED_TYPES && LOGGED_TYPES.add(rootCause(e).getClass())) {
      LOGGER.warn("Tracefold's provenance endpoint could not answer", e);
    } else {
      LOGGER.warn(
          "Tracefold's provenance endpoint could not answer (again; stack trace logged before): {}", e.toString());
      LOGGER.debug("Tracefold's provenance endpoint could not answer", e);
    }
    return error(format, ProvenanceException.Reason.STORE_FAILED,
        "the provenance could not be read now (the cause is in the application's log)");
  }

  /** Returns the innermost cause of {@code e} (the store's own exception), within 16 hops. */
  private static Throwable rootCause(Throwable e) {
    Throwable root = e;
    for (int i = 0; i < 16 && root.getCause() != null && root.getCause() != root; i++) {
      root = root.getCause();
    }
    return root;
  }

  private static WebEndpointResponse<Object> error(Format format, ProvenanceException.Reason reason, String message) {
    int status;
    switch (reason) {
      case INVALID_INPUT:
        status = 400;
        break;
      case STORE_FAILED:
        status = 503;
        break;
      default:
        status = 404;
    }
    if (format == Format.HTML) {
      return new WebEndpointResponse<>(ProvenancePage.error(status, ProvenanceJson.code(reason), message), status, HTML);
    }
    return new WebEndpointResponse<>(ProvenanceJson.error(reason, status, message), status, JSON);
  }
}
