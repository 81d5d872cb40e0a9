import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { IdPipe } from '../http/id.pipe';
import { CurrentPrincipal, RequestActor, type AuthenticatedActor } from './current-principal.decorator';
import { CreateUserDto, UpdateUserDto, UserDto } from './dto/user.dto';
import type { Principal } from './principal';
import { RequireRole } from './roles.decorator';
import { UsersService } from './users.service';

@ApiTags('users')
@RequireRole('admin')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Users of your workspace' })
  @ApiOkResponse({ type: [UserDto] })
  async list(@CurrentPrincipal() principal: Principal): Promise<UserDto[]> {
    return (await this.users.list(principal)).map((user) => UserDto.from(user));
  }

  @Post()
  @ApiOperation({ summary: 'Create a user with a role' })
  @ApiCreatedResponse({ type: UserDto })
  async create(@Body() body: CreateUserDto, @RequestActor() actor: AuthenticatedActor): Promise<UserDto> {
    return UserDto.from(await this.users.create(actor, actor.principal.workspaceId, body));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user' })
  @ApiOkResponse({ type: UserDto })
  async get(@Param('id', IdPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<UserDto> {
    return UserDto.from(await this.users.get(principal, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change role, disable/enable, or reset the password' })
  @ApiOkResponse({ type: UserDto })
  async update(
    @Param('id', IdPipe) id: string,
    @Body() body: UpdateUserDto,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<UserDto> {
    return UserDto.from(await this.users.update(actor, id, body));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a user' })
  @ApiNoContentResponse()
  async remove(@Param('id', IdPipe) id: string, @RequestActor() actor: AuthenticatedActor): Promise<void> {
    await this.users.remove(actor, id);
  }
}
