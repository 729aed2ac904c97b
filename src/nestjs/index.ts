// xlink-errors/nestjs: placeholder until its issue lands.
export {};
