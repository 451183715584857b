package io.tracefold.examples.agent;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The REST API: commands, a load of the aggregate, the read model, and the stored trace contexts. */
@RestController
@RequestMapping("/carts/{cartId}")
class CartController {

  private final CommandGateway commands;
  private final Repository<Cart> carts;
  private final CartSummaryProjection summaries;
  private final EventStore eventStore;

  CartController(
      CommandGateway commands,
      @Qualifier("cartRepository") Repository<Cart> carts,
      CartSummaryProjection summaries,
      EventStore eventStore) {
    this.commands = commands;
    this.carts = carts;
    this.summaries = summaries;
    this.eventStore = eventStore;
  }

  @PostMapping
  void open(@PathVariable("cartId") String cartId) {
    commands.sendAndWait(new Cart.OpenCart(cartId));
  }

  @PostMapping("/items/{sku}")
  void add(@PathVariable("cartId") String cartId, @PathVariable("sku") String sku) {
    commands.sendAndWait(new Cart.AddItem(cartId, sku));
  }

  /** Rehydrates the cart (a {@code Repository.initializeState} span) and returns its item count. */
  @GetMapping("/items")
  int items(@PathVariable("cartId") String cartId) {
    return DefaultUnitOfWork.startAndGet(null)
        .executeWithResult(() -> carts.load(cartId).invoke(Cart::getItems))
        .getPayload();
  }

  /** Returns the item count of the read model (-1 before its first event). */
  @GetMapping("/summary")
  int summary(@PathVariable("cartId") String cartId) {
    return summaries.items(cartId);
  }

  /** Returns the {@code traceparent} each stored event of the cart carries (empty text for none). */
  @GetMapping("/traceparents")
  List<String> traceparents(@PathVariable("cartId") String cartId) {
    List<String> contexts = new ArrayList<>();
    DomainEventStream events = eventStore.readEvents(cartId);
    while (events.hasNext()) {
      DomainEventMessage<?> event = events.next();
      Object traceparent = event.getMetaData().get("traceparent");
      contexts.add(traceparent == null ? "" : traceparent.toString());
    }
    return contexts;
  }
}
