package io.stopbob.platform.catalog;

/**
 * Who is in a user group the catalog names among an environment's deployers (Slack's user
 * groups); where it cannot be asked, nobody is.
 */
@FunctionalInterface
public interface GroupMembership {

	GroupMembership NONE = (groupId, userId) -> false;

	boolean contains(String groupId, String userId);

}
