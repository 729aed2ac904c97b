// xlink-errors/hono: placeholder until its issue lands.
export {};
