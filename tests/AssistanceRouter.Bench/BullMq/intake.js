// The benchmark's BullMQ intake: every POST becomes one job, answered 202 once queue.add has resolved (Redis, with its
// append-only file fsynced always, has the job). Each job is tried 25 times with exponential backoff, as our retries.
// usage: node intake.js <port> <redis port>
'use strict';
const http = require('node:http');
const { Queue } = require('bullmq');

const [port, redisPort] = process.argv.slice(2).map(Number);
const queue = new Queue('notices', { connection: { host: '127.0.0.1', port: redisPort } });
const jobOptions = { attempts: 25, backoff: { type: 'exponential', delay: 1000 } };

http.createServer((request, response) => {
  const chunks = [];
  request.on('data', chunk => chunks.push(chunk));
  request.on('end', () => {
    queue.add('notice', { body: Buffer.concat(chunks).toString() }, jobOptions).then(
      job => { response.writeHead(202, { 'Content-Type': 'application/json' }); response.end(JSON.stringify({ id: job.id })); },
      error => { response.writeHead(503); response.end(String(error)); });
  });
}).listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
