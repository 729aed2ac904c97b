// xlink-errors/client: placeholder until its issue lands.
export {};
