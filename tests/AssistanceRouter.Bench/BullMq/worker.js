// The benchmark's BullMQ worker: 64 jobs at once, each POSTed to the receiver; an answer other than 2xx fails the
// attempt, which BullMQ retries with the job's backoff.
// usage: node worker.js <redis port> <receiver url>
'use strict';
const http = require('node:http');
const { Worker } = require('bullmq');

const redisPort = Number(process.argv[2]);
const receiver = new URL(process.argv[3]);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(body) {
  return new Promise((resolve, reject) => {
    const request = http.request(receiver, { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } }, response => {
      response.resume();
      response.on('end', () => response.statusCode < 300 ? resolve() : reject(new Error(`HTTP ${response.statusCode}`)));
    });
    request.on('error', reject);
    request.end(body);
  });
}

new Worker('notices', job => post(job.data.body), { connection: { host: '127.0.0.1', port: redisPort }, concurrency: 64 });
console.log('working');
