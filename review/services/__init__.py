"""The console's logic, kept out of the routes: users and sessions, the queue, packets,
corrections, decisions and batches, exports."""
