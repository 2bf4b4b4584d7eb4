package io.stopbob.rollout;

import io.stopbob.testkit.ServiceHealthContract;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;

@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthTest extends RolloutServiceTest implements ServiceHealthContract {

}
