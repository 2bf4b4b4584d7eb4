package io.stopbob.platform.bus;

import org.springframework.kafka.test.context.EmbeddedKafka;

@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class EmbeddedBrokerBusTest extends BusContract {

}
