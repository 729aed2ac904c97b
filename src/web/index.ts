// xlink-errors/web: placeholder until its issue lands.
export {};
