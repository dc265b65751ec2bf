// The raw baseline of the bundle benchmark: a handler that does nothing but build the DynamoDB
// document client, bundled with the same options. Its size and import time are the floor every
// function that touches DynamoDB pays before any product code.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (event: { id: string }) => doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: event.id, sk: 'META' } }));
