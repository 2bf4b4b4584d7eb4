package io.stopbob.tagger;

import io.stopbob.testkit.ServiceHealthContract;
import io.stopbob.testkit.ServiceTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;

@ServiceTest
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthTest implements ServiceHealthContract {

}
