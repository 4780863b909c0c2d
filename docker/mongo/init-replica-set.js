// One-shot job (service mongo-init), run with mongosh against mongo1:
//   mongosh --host mongo1:27017 --quiet /scripts/init-replica-set.js
// Initiates replica set rs0 over mongo1..3 if it is not initiated yet, then waits until a
// primary is elected so that services depending on this job can write immediately.
// Idempotent: on an initiated set it only waits for the primary.
const replicaSetName = 'rs0';
const members = [
  { _id: 0, host: 'mongo1:27017', priority: 2 },
  { _id: 1, host: 'mongo2:27017', priority: 1 },
  { _id: 2, host: 'mongo3:27017', priority: 1 },
];
const primaryTimeoutMs = 120000;

function isInitiated() {
  try {
    rs.status();
    return true;
  } catch (error) {
    if (error.codeName === 'NotYetInitialized' || error.code === 94) return false;
    throw error;
  }
}

function hasPrimary() {
  try {
    return rs.status().members.some((member) => member.stateStr === 'PRIMARY');
  } catch (error) {
    return false;
  }
}

try {
  if (isInitiated()) {
    print(`replica set ${replicaSetName} already initiated`);
  } else {
    const result = rs.initiate({ _id: replicaSetName, members });
    print(`rs.initiate: ${JSON.stringify(result)}`);
  }
  const deadline = Date.now() + primaryTimeoutMs;
  while (!hasPrimary()) {
    if (Date.now() > deadline) {
      print(`no PRIMARY in ${replicaSetName} after ${primaryTimeoutMs} ms`);
      quit(1);
    }
    sleep(1000);
  }
  print(`replica set ${replicaSetName} has a PRIMARY`);
} catch (error) {
  print(`init-replica-set failed: ${error}`);
  quit(1);
}
